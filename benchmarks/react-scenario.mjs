// The scripted session of ../shared/bench/naive-crisp-sdk-web/naive-scenario.mjs (login with 6 keys, 20 equal
// re-renders, a plan change, a key removal, logout, a second user), replayed through the naive crisp-sdk-web
// integration and through `useCrispData` (built packages: run `pnpm build` first).
// Run: node benchmarks/react-scenario.mjs          (add --json for the full per-step numbers)
//
// Parts 2-6 are copied from naive-scenario.mjs unchanged, apart from formatting; part 7 is ours.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const sdk = await import("crisp-sdk-web");

// ---- 2. DOM globals ----------------------------------------------------------
const { JSDOM } = await import("jsdom");
const dom = new JSDOM("<!doctype html><html><head></head><body><div id=root></div></body></html>", {
  url: "https://app.example.test/",
});
const define = (k, v) => Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
define("window", dom.window);
define("document", dom.window.document);
if (!("navigator" in globalThis)) define("navigator", dom.window.navigator);
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const React = await import("react");
const { createRoot } = await import("react-dom/client");
const { CrispDataProvider, useCrispData } = await import("@crisp-data/react");
const { CrispClass } = sdk;
const h = React.createElement;
const { act, useEffect, StrictMode } = React;

const WEBSITE_ID = "00000000-0000-0000-0000-000000000000";

// ---- 3. $crisp stub with counting push ---------------------------------------
function installStub() {
  const log = [];
  const queue = [];
  const nativePush = Array.prototype.push;
  queue.push = function (...cmds) {
    for (const c of cmds) {
      let copy = c;
      try {
        copy = structuredClone(c);
      } catch {
        /* callbacks (["on", ...]) are kept by reference */
      }
      log.push(copy);
    }
    return nativePush.apply(this, cmds);
  };
  window.$crisp = queue;
  return log;
}

// ---- 4. Model of what Crisp would hold after replaying the queue --------------
function replay(log) {
  const data = new Map();
  let pairs = 0;
  const byCommand = {};
  for (const cmd of log) {
    const key = `${cmd[0]} ${cmd[1]}`;
    byCommand[key] = (byCommand[key] || 0) + 1;
    if (cmd[0] === "set" && cmd[1] === "session:data") {
      const arg = cmd[2];
      const list = Array.isArray(arg[0]) ? arg[0] : [arg]; // batched or single-pair form
      for (const [k, v] of list) {
        pairs++;
        if (v === "") data.delete(k);
        else data.set(k, v);
      }
    } else if (cmd[0] === "do" && cmd[1] === "session:reset") {
      data.clear();
    }
  }
  return { data: Object.fromEntries(data), pairs, byCommand };
}

// ---- 5. Scripted session -----------------------------------------------------
const userA = {
  user_id: "usr_A_1001",
  plan: "starter",
  plan_price: 29,
  is_trialing: true,
  websites: 3,
  signup_at: 1714557600,
};
const userB = { user_id: "usr_B_2002", plan: "free", team_size: 1, locale: "fr" };

const steps = [];
steps.push({ label: "login A (6 keys)", user: { ...userA } });
for (let i = 0; i < 20; i++) steps.push({ label: "re-render, identical data, new object", user: { ...userA } });
steps.push({ label: "plan change (plan + plan_price)", user: { ...userA, plan: "pro", plan_price: 99 } });
const { is_trialing, ...afterRemoval } = { ...userA, plan: "pro", plan_price: 99 };
steps.push({ label: "key removal (is_trialing dropped)", user: afterRemoval });
steps.push({ label: "logout", user: null, logout: true });
steps.push({ label: "login B (4 keys, different set)", user: { ...userB } });

// ---- 6. Naive React integration ---------------------------------------------
function makeNaiveApp(crisp, configureOptions) {
  // biome-ignore lint/correctness/noComponentHookFactories: copied as is from naive-scenario.mjs
  function CrispIdentity({ user }) {
    useEffect(() => {
      if (user) crisp.session.setData(user);
    }, [user]);
    return null;
  }
  // biome-ignore lint/correctness/noComponentHookFactories: copied as is from naive-scenario.mjs
  return function App({ user }) {
    useEffect(() => {
      crisp.configure(WEBSITE_ID, configureOptions);
    }, []);
    return h(CrispIdentity, { user });
  };
}

// ---- 7. useCrispData: the same app, written the way our README says -----------
function CrispDataIdentity({ user }) {
  useCrispData(user, { user: user ? { id: user.user_id } : null });
  return null;
}
function CrispDataApp({ user }) {
  return h(CrispDataProvider, { websiteId: WEBSITE_ID }, h(CrispDataIdentity, { user }));
}

async function run({ name, integration, strict = false, resetOnLogout = false }) {
  const log = installStub();
  window.localStorage.clear();
  const crisp = new CrispClass();
  const App = integration === "naive" ? makeNaiveApp(crisp) : CrispDataApp;
  const container = document.createElement("div");
  document.body.appendChild(container);
  const root = createRoot(container);
  const wrap = (el) => (strict ? h(StrictMode, null, el) : el);
  const perStep = [];
  for (const step of steps) {
    const before = log.length;
    await act(async () => {
      if (step.logout && resetOnLogout) crisp.session.reset(); // logout click handler
      root.render(wrap(h(App, { user: step.user })));
    });
    perStep.push(log.length - before);
  }
  await act(async () => root.unmount());
  container.remove();
  for (const script of document.querySelectorAll("script")) script.remove();
  const { data, pairs, byCommand } = replay(log);
  const leakedKeysOfA = Object.keys(data).filter((k) => k in userA && !(k in userB));
  return {
    name,
    pushes: log.length,
    pairs,
    byCommand,
    pushesPerStep: {
      loginA: perStep[0],
      identicalRerenders20: perStep.slice(1, 21).reduce((a, b) => a + b, 0),
      planChange: perStep[21],
      keyRemoval: perStep[22],
      logout: perStep[23],
      loginB: perStep[24],
    },
    finalCrispData: data,
    leakedKeysOfA,
  };
}

// Theoretical minimum (copied from naive-scenario.mjs): one push per real change batch, reset on logout.
function runMinimum() {
  const log = installStub();
  let prev = null;
  for (const step of steps) {
    if (step.logout) {
      window.$crisp.push(["do", "session:reset", [false]]);
      prev = null;
      continue;
    }
    const next = step.user;
    const batch = [];
    for (const [k, v] of Object.entries(next)) if (!prev || prev[k] !== v) batch.push([k, v]);
    if (prev) for (const k of Object.keys(prev)) if (!(k in next)) batch.push([k, ""]);
    if (batch.length) window.$crisp.push(["set", "session:data", [batch]]);
    prev = next;
  }
  const { data, pairs, byCommand } = replay(log);
  const leakedKeysOfA = Object.keys(data).filter((k) => k in userA && !(k in userB));
  return { name: "theoretical minimum", pushes: log.length, pairs, byCommand, finalCrispData: data, leakedKeysOfA };
}

const results = [
  await run({ name: "naive crisp-sdk-web", integration: "naive" }),
  await run({ name: "naive crisp-sdk-web + StrictMode", integration: "naive", strict: true }),
  await run({ name: "naive crisp-sdk-web + reset on logout", integration: "naive", resetOnLogout: true }),
  await run({ name: "@crisp-data/react useCrispData", integration: "crisp-data" }),
  await run({ name: "@crisp-data/react useCrispData + StrictMode", integration: "crisp-data", strict: true }),
  runMinimum(),
];

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const versions = `react ${React.version}, crisp-sdk-web ${require("crisp-sdk-web/package.json").version}, jsdom ${require("jsdom/package.json").version}, node ${process.version}`;
  console.log(`Scripted session (${steps.length} renders), ${versions}\n`);
  console.log("| integration | pushes | pairs | keys of user A left for user B |");
  console.log("| --- | ---: | ---: | --- |");
  for (const r of results) {
    const leaked = r.leakedKeysOfA.length ? `${r.leakedKeysOfA.length} (${r.leakedKeysOfA.join(", ")})` : "0";
    console.log(`| ${r.name} | ${r.pushes} | ${r.pairs} | ${leaked} |`);
  }
}
dom.window.close();
