// REST drain benchmark (not a test): how close `@crisp-data/core/server` gets to the emulator's rate limit when
// writing 2,000 contact updates, next to the official `crisp-api` driven the naive way; the same drain under 30%
// injected faults after a 10 s burst of 429s ("faults"); how long 1,000 pending contacts take to fail against a
// port where nothing listens ("down"); plus the pending-state memory of 100,000 updates over 10,000 targets while
// the API is down.
//
//   pnpm --filter @crisp-data/core build && pnpm --filter @crisp-data/emulator build
//   node --expose-gc benchmarks/rest-drain.mjs [--rate 200] [--concurrency 8] [--updates 2000]
//
// Bound = writes the emulator accepted ÷ rate (its token bucket also grants a one-second burst, so a perfect
// client lands a little under 1.0), plus the 429 burst for the faults row. Targets: ratio ≤ 1.1; faults ≤ 1.2.
import { createServer } from "node:net";
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
/** The faults row: a 10 s burst of 429s at start, then 30% of every fault kind the emulator injects. */
const BURST_MS = 10_000;
const FAULT_RATE = 0.3;

/** A fresh emulator with `updates` contacts, created politely so the setup does not skew the measured run. */
async function prepare(faults) {
  // Tallied as requests finish: the emulator's request log keeps only the latest 10,000, and a naive run makes more.
  const tally = { requests: 0, accepted: 0, limited: 0 };
  const emulator = await startEmulator({
    port: 0,
    rateLimit: rate,
    faults,
    onRequest({ kind, status }) {
      if (kind !== "rest") return;
      tally.requests++;
      if (status >= 200 && status < 300) tally.accepted++;
      if (status === 429 || status === 420) tally.limited++;
    },
  });
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
        try {
          const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
            method: "POST",
            headers,
            body: JSON.stringify({ email: `bench${i}@example.com`, person: { nickname: `Bench ${i}` } }),
            // Injected `timeout` faults hang until the client gives up.
            signal: AbortSignal.timeout(500),
          });
          const body = await response.json();
          if (response.ok) {
            ids[i] = body.data.people_id;
            break;
          }
          // An earlier attempt created it but its answer was lost: address it by email.
          if (response.status === 409) {
            ids[i] = `bench${i}@example.com`;
            break;
          }
        } catch {
          // injected reset or timeout: try again
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return { emulator, ids, tally, before: { ...tally } };
}

function summarize(name, { tally, before }, started, lost, extra = { ms: 0, limited: 0 }) {
  const elapsed = performance.now() - started;
  const accepted = tally.accepted - before.accepted;
  const limited = tally.limited - before.limited + extra.limited;
  const bound = (accepted / rate) * 1000 + extra.ms;
  return {
    client: name,
    "drain ms": Math.round(elapsed),
    "bound ms": Math.round(bound),
    ratio: +(elapsed / bound).toFixed(3),
    requests: tally.requests - before.requests + extra.limited,
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

/**
 * The faults row: the first 10 s of the run every request is answered 429 (without Retry-After) before it reaches
 * the emulator, which also faults 30% of requests (429, 420, 500, 503, resets and hangs). Hangs cost a lane until
 * `timeoutMs`, so the row uses a short timeout and more lanes, as one would against a flaky API.
 */
async function runFaults() {
  const setup = await prepare({ rate: FAULT_RATE, seed: 13 });
  const { emulator, ids } = setup;
  let burstRefusals = 0;
  let started = 0;
  const crisp = createCrispRestClient({
    identifier: emulator.identifier,
    key: emulator.key,
    baseUrl: `${emulator.url}/v1/`,
    concurrency: concurrency * 2,
    timeoutMs: 250,
    retry: { retries: 12, maxWaitMs: 60_000 },
    fetch: (input, init) => {
      if (performance.now() - started < BURST_MS) {
        burstRefusals++;
        return Promise.resolve(new Response('{"error":true,"reason":"rate_limited","data":{}}', { status: 429 }));
      }
      return fetch(input, init);
    },
  });
  started = performance.now();
  ids.forEach((id, i) => void crisp.setContactData(emulator.websiteId, id, { plan: "pro", n: i }));
  const report = await crisp.flush();
  const row = summarize("@crisp-data/core/server, faults", setup, started, report.failures.length, {
    ms: BURST_MS,
    limited: burstRefusals,
  });
  const wrong = emulator.contacts().filter((c) => c.data.n === undefined).length;
  await emulator.close();
  return { ...row, "not written": wrong };
}

/** The down row: 1,000 contacts queued against a loopback port where nothing listens, default options. */
async function runDown() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const crisp = createCrispRestClient({ identifier: "i", key: "k", baseUrl: `http://127.0.0.1:${port}/v1/` });
  const started = performance.now();
  for (let i = 0; i < 1_000; i++) void crisp.setContactData("w", `down${i}@example.com`, { n: i });
  const report = await crisp.flush();
  return {
    pending: 1_000,
    "settled ms": Math.round(performance.now() - started),
    "bound ms": 30_000,
    requests: report.requests,
    failures: report.failures.length,
  };
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
const rows = [await runOurs(), await runNaive(false), await runNaive(true), await runFaults()];
console.table(rows);
console.log("API down (nothing listening), default options:");
console.table([await runDown()]);
console.log(
  `Pending state while the API is down${globalThis.gc ? "" : " (run with --expose-gc for steadier numbers)"}:`,
);
console.table(await memory());
process.exit(0);
