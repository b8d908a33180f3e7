// Queue drain benchmark (not a test): `@crisp-data/queue` with 1, 2 and 4 worker processes (the built
// `crisp-data-worker` bin) against the emulator at one fixed rate limit, while 3 producer processes enqueue 3,000
// updates each over 500 contacts as fast as they can; plus a run where one of 2 workers is SIGKILLed mid-drain
// and replaced. Each update sets keys and deletes one, so every write is a GET then a PUT.
//
//   pnpm build
//   node benchmarks/queue-drain.mjs [--rate 50] [--contacts 500] [--updates 3000] [--lock-ms 2000]
//
// Drain = from the producers' first update (their processes up and connected) until no target is pending. Bound = the busiest route's accepted requests ÷
// rate (the emulator's token bucket per route also grants a one-second burst, so a perfect fleet lands a little
// under 1.0). Target: ratio ≤ 1.2. "Ratio after production" is the same from the moment the producers are done
// until drained: on a small machine the producers, enqueueing as fast as they can, take the CPU from the workers.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startEmulator } from "@crisp-data/emulator";
import { startRedisServer } from "../scripts/ensure-redis.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const queueDist = resolve(here, "../packages/queue/dist");
const { createCrispQueue } = await import(resolve(queueDist, "index.js"));

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "50" },
    contacts: { type: "string", default: "500" },
    updates: { type: "string", default: "3000" },
    "lock-ms": { type: "string", default: "2000" },
    // Internal: run as one producer process.
    producer: { type: "string" },
    redis: { type: "string" },
    queue: { type: "string" },
    website: { type: "string" },
  },
});
const rate = Number(values.rate);
const contacts = Number(values.contacts);
const updates = Number(values.updates);
const PRODUCERS = 3;

if (values.producer !== undefined) {
  await produce(Number(values.producer));
  process.exit(0);
}

/** One producer: connects, says "ready", waits for "go" on stdin, then makes `updates` updates in passes over every contact, 50 calls at once. */
async function produce(p) {
  const queue = createCrispQueue({ connection: values.redis, name: values.queue });
  await queue.stats(); // connected
  process.stdout.write("ready\n");
  await new Promise((go) => process.stdin.once("data", go));
  const rounds = Math.ceil(updates / contacts);
  for (let round = 0; round < rounds; round++) {
    let next = 0;
    const lane = async () => {
      while (next < contacts) {
        const i = next++;
        await queue.setContactData(values.website, `bench${i}@example.com`, {
          [`p${p}_last`]: round,
          [`p${p}_r${round}`]: true,
          [`legacy_p${p}`]: null,
        });
      }
    };
    await Promise.all(Array.from({ length: 50 }, lane));
  }
  await queue.close();
}

function node(args, env = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdout.resume();
  child.exited = new Promise((done) => child.once("exit", done));
  return child;
}

/** A worker process, once it has connected (it prints a line when started; BullMQ's "ready" follows). */
async function startWorker(bin, env) {
  const child = spawn(process.execPath, [bin], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.exited = new Promise((done) => child.once("exit", done));
  await new Promise((ready) => child.stdout.once("data", ready));
  child.stdout.resume();
  await new Promise((r) => setTimeout(r, 300));
  return child;
}

async function prepare(emulator) {
  const headers = {
    Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
    "X-Crisp-Tier": "plugin",
    "Content-Type": "application/json",
  };
  const data = Object.fromEntries(Array.from({ length: PRODUCERS }, (_, p) => [`legacy_p${p}`, "x"]));
  let next = 0;
  async function lane() {
    while (next < contacts) {
      const email = `bench${next++}@example.com`;
      for (;;) {
        const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
          method: "POST",
          headers,
          body: JSON.stringify({ email, person: { nickname: email }, data }),
        });
        if (response.ok) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane));
}

async function run(redis, workers, kill) {
  const accepted = { GET: [], PUT: [] }; // times of accepted requests per route
  const emulator = await startEmulator({
    port: 0,
    rateLimit: rate,
    onRequest: ({ method, status }) => {
      if (status === 200 && accepted[method]) accepted[method].push(performance.now());
    },
  });
  await prepare(emulator);
  const before = emulator.requestCount();
  const name = `bench-${workers}-${kill ? "kill" : "plain"}`;
  const env = {
    REDIS_URL: redis.url,
    CRISP_API_IDENTIFIER: emulator.identifier,
    CRISP_API_KEY: emulator.key,
    CRISP_API_URL: `${emulator.url}/v1/`,
    CRISP_RATE_LIMIT: String(rate),
    CRISP_LOCK_MS: values["lock-ms"],
    CRISP_QUEUE_NAME: name,
  };
  const bin = resolve(queueDist, "cli.js");
  // Workers are long-lived in a real fleet: start them before the clock.
  const fleet = await Promise.all(Array.from({ length: workers }, () => startWorker(bin, env)));
  const watcher = createCrispQueue({ connection: redis.url, name });
  const producers = Array.from({ length: PRODUCERS }, (_, p) =>
    node([
      fileURLToPath(import.meta.url),
      `--producer=${p}`,
      `--redis=${redis.url}`,
      `--queue=${name}`,
      `--website=${emulator.websiteId}`,
      `--contacts=${contacts}`,
      `--updates=${updates}`,
    ]),
  );
  // The clock starts once every producer process is up and connected.
  await Promise.all(producers.map((p) => new Promise((ready) => p.stdout.once("data", ready))));
  const started = performance.now();
  for (const p of producers) p.stdin.end("go\n");
  await Promise.all(producers.map((p) => p.exited));
  const produced = performance.now() - started;
  if (kill) {
    // Mid-drain: a third of the first pass written.
    while (emulator.requests().filter((r) => r.method === "PUT" && r.status === 200).length < contacts / 3) {
      await new Promise((r) => setTimeout(r, 10));
    }
    fleet[0].kill("SIGKILL");
    fleet.push(node([bin], env)); // the replacement starts cold, on the clock
  }
  for (;;) {
    const { pendingTargets } = await watcher.stats();
    if (pendingTargets === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = performance.now() - started;
  const { failed } = await watcher.stats();
  await watcher.close();
  for (const child of fleet) child.kill("SIGTERM");
  await Promise.all(fleet.map((c) => c.exited));
  const log = emulator.requests({ since: before });
  const ok = (method) => log.filter((r) => r.method === method && r.status === 200).length;
  const limited = log.filter((r) => r.status === 429 || r.status === 420).length;
  const bound = (Math.max(ok("GET"), ok("PUT")) / rate) * 1000;
  // The same once production is over, when the producers no longer compete with the workers for the CPU.
  const producedAt = started + produced;
  const late = Math.max(...Object.values(accepted).map((times) => times.filter((t) => t >= producedAt).length));
  const tailRatio = late ? (elapsed - produced) / ((late / rate) * 1000) : 0;
  const wrong = emulator.contacts().filter((c) => {
    for (let p = 0; p < PRODUCERS; p++) {
      if (c.data[`p${p}_last`] !== Math.ceil(updates / contacts) - 1 || c.data[`legacy_p${p}`] !== undefined)
        return true;
    }
    return false;
  }).length;
  await emulator.close();
  return {
    workers: kill ? `${workers} (1 SIGKILLed, replaced)` : String(workers),
    "produce ms": Math.round(produced),
    "drain ms": Math.round(elapsed),
    "bound ms": Math.round(bound),
    ratio: +(elapsed / bound).toFixed(3),
    "ratio after production": +tailRatio.toFixed(3),
    requests: log.length,
    "429s": limited,
    "writes/contact": +(ok("PUT") / contacts).toFixed(2),
    wrong,
    failed,
  };
}

const redis = await startRedisServer();
try {
  const rows = [];
  for (const [workers, kill] of [
    [1, false],
    [2, false],
    [4, false],
    [2, true],
  ]) {
    rows.push(await run(redis, workers, kill));
  }
  console.log(`rate ${rate}/s per route, ${PRODUCERS} producers × ${updates} updates over ${contacts} contacts`);
  console.table(rows);
} finally {
  await redis.stop();
}
