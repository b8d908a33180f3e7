// REST drain benchmark (not a test): how close `@crisp-data/core/server` gets to the emulator's rate limit when
// writing 2,000 contact updates, next to the official `crisp-api` driven the naive way; plus the pending-state
// memory of 100,000 updates over 10,000 targets while the API is down.
//
//   pnpm --filter @crisp-data/core build && pnpm --filter @crisp-data/emulator build
//   node --expose-gc benchmarks/rest-drain.mjs [--rate 200] [--concurrency 8] [--updates 2000]
//
// Bound = writes the emulator accepted ÷ rate (its token bucket also grants a one-second burst, so a perfect
// client lands a little under 1.0). Target: ratio ≤ 1.1.
import { parseArgs } from "node:util";
import { createCrispRestClient } from "@crisp-data/core/server";
import { startEmulator } from "@crisp-data/emulator";
import { Crisp } from "crisp-api";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    updates: { type: "string", default: "2000" },
  },
});
const rate = Number(values.rate);
const concurrency = Number(values.concurrency);
const updates = Number(values.updates);

/** A fresh emulator with `updates` contacts, created politely so the setup does not skew the measured run. */
async function prepare() {
  const emulator = await startEmulator({ port: 0, rateLimit: rate });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
    "X-Crisp-Tier": "plugin",
    "Content-Type": "application/json",
  };
  const ids = [];
  let next = 0;
  async function worker() {
    while (next < updates) {
      const i = next++;
      for (;;) {
        const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
          method: "POST",
          headers,
          body: JSON.stringify({ email: `bench${i}@example.com`, person: { nickname: `Bench ${i}` } }),
        });
        const body = await response.json();
        if (response.ok) {
          ids[i] = body.data.people_id;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return { emulator, ids, before: emulator.requests().length };
}

function summarize(name, { emulator, before }, started, lost) {
  const elapsed = performance.now() - started;
  const log = emulator.requests().slice(before);
  const accepted = log.filter((r) => r.status >= 200 && r.status < 300).length;
  const limited = log.filter((r) => r.status === 429 || r.status === 420).length;
  const bound = (accepted / rate) * 1000;
  return {
    client: name,
    "drain ms": Math.round(elapsed),
    "bound ms": Math.round(bound),
    ratio: +(elapsed / bound).toFixed(3),
    requests: log.length,
    "429s": limited,
    lost,
  };
}

async function runOurs() {
  const setup = await prepare();
  const { emulator, ids } = setup;
  const crisp = createCrispRestClient({
    identifier: emulator.identifier,
    key: emulator.key,
    baseUrl: `${emulator.url}/v1/`,
    concurrency,
  });
  const started = performance.now();
  ids.forEach((id, i) => void crisp.setContactData(emulator.websiteId, id, { plan: "pro", n: i }));
  const report = await crisp.flush();
  const row = summarize("@crisp-data/core/server", setup, started, report.failures.length);
  const wrong = emulator.contacts().filter((c) => c.data.n === undefined).length;
  await emulator.close();
  return { ...row, "not written": wrong };
}

/** crisp-api as its README suggests: one call per update, a fixed number in flight, failures logged and dropped. */
async function runNaive(retry) {
  const setup = await prepare();
  const { emulator, ids } = setup;
  const client = new Crisp();
  client.setRestHost(emulator.url);
  client.authenticateTier("plugin", emulator.identifier, emulator.key);
  let lost = 0;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < ids.length) {
      const i = next++;
      for (;;) {
        try {
          await client.website.updatePeopleData(emulator.websiteId, ids[i], { data: { plan: "pro", n: i } });
          break;
        } catch {
          // Naive: either drop it, or retry at once (no backoff, no pacing).
          if (!retry) {
            lost++;
            break;
          }
        }
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const row = summarize(retry ? "crisp-api, retry at once" : "crisp-api, no retry", setup, started, lost);
  const wrong = emulator.contacts().filter((c) => c.data.n === undefined).length;
  await emulator.close();
  return { ...row, "not written": wrong };
}

async function memory() {
  const down = (_url, init) =>
    new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal.reason)));
  const heap = () => {
    globalThis.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const rows = [];
  for (const total of [10_000, 100_000]) {
    const crisp = createCrispRestClient({ identifier: "i", key: "k", fetch: down, concurrency, timeoutMs: 600_000 });
    const start = heap();
    for (let i = 0; i < total; i++) void crisp.setContactData("w", `p${i % 10_000}`, { n: i, [`k${i % 7}`]: "x" });
    rows.push({
      updates: total,
      targets: 10_000,
      pending: crisp.pending,
      "heap MB": +((heap() - start) / 2 ** 20).toFixed(1),
    });
  }
  return rows;
}

console.log(
  `REST drain: ${updates} contact updates, rate limit ${rate}/s per route, concurrency ${concurrency}, node ${process.version}`,
);
const rows = [await runOurs(), await runNaive(false), await runNaive(true)];
console.table(rows);
console.log(
  `Pending state while the API is down${globalThis.gc ? "" : " (run with --expose-gc for steadier numbers)"}:`,
);
console.table(await memory());
process.exit(0);
