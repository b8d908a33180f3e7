// Many processes, one Crisp: producer and worker processes against a real redis-server and the emulator at a
// fixed rate limit. Counts are asserted; the drain time against its bound is the benchmark's business
// (benchmarks/queue-drain.mjs), not a test's.
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../../../scripts/ensure-redis.mjs";
import { type CrispQueue, createCrispQueue } from "../index";
import { createContacts, expectedFleetData, initialFleetData, until, writesTo } from "./helpers";
import { bundleFleet, type Child, runNode } from "./processes";

/**
 * Requests per second per route: a first pass over 500 contacts takes about 10 s, long enough that the producers
 * (a second or two, several on a loaded machine) are done before any contact comes round for a second write.
 */
const RATE = 50;
const PRODUCERS = 3;
const ROUNDS = 6;

let redis: RedisServer;
let scripts: { producer: string; worker: string };
let emulator: Emulator | undefined;
let watcher: CrispQueue | undefined;
const children: Child[] = [];

beforeAll(async () => {
  [redis, scripts] = await Promise.all([startRedisServer(), bundleFleet()]);
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGTERM");
      await child.done.catch(() => {});
    }
  }
  await watcher?.close();
  await emulator?.close();
});

/** `create`: make the contacts first (with data to delete); else the workers' REST client creates them (createMissing). */
async function fleet(name: string, contacts: number, create: boolean) {
  emulator = await startEmulator({ rateLimit: RATE });
  const emails = create
    ? await createContacts(emulator, contacts, initialFleetData(PRODUCERS))
    : Array.from({ length: contacts }, (_, i) => `user${i}@example.com`);
  watcher = createCrispQueue({ connection: redis.url, name });
  const env = {
    REDIS_URL: redis.url,
    CRISP_API_IDENTIFIER: emulator.identifier,
    CRISP_API_KEY: emulator.key,
    CRISP_API_URL: `${emulator.url}/v1/`,
    CRISP_RATE_LIMIT: String(RATE),
    CRISP_LOCK_MS: "2000",
    CRISP_JOB_CONCURRENCY: "4",
    CRISP_QUEUE_NAME: name,
  };
  const startWorker = () => {
    const child = runNode(scripts.worker, [], env);
    children.push(child);
    return child;
  };
  const startProducers = () =>
    Array.from({ length: PRODUCERS }, (_, p) => {
      const child = runNode(scripts.producer, [
        redis.url,
        name,
        (emulator as Emulator).websiteId,
        String(p),
        String(contacts),
        String(ROUNDS),
        "50",
      ]);
      children.push(child);
      return child;
    });
  return { emulator, emails, before: emulator.requestCount(), startWorker, startProducers };
}

function putsSince(emulator: Emulator, before: number): number {
  return emulator.requests({ since: before }).filter((r) => r.method === "PUT" && r.status === 200).length;
}

it("3 producers × 3,000 updates over 500 contacts, 2 workers, one SIGKILLed and replaced: exact, ≤ 2 writes each, no 429 storm", async () => {
  const { emulator, emails, before, startWorker, startProducers } = await fleet("fleet", 500, true);
  const workers = [startWorker(), startWorker()];
  const producers = startProducers();
  const reports = (await Promise.all(producers.map((p) => p.done))).map((out) => JSON.parse(out));
  for (const report of reports) expect(report.acked).toBe(500 * ROUNDS);
  // Production is over and the first pass is under way: kill a worker while it holds a job (its lock is in Redis)
  // and start another. Draining then needs that job recovered from the dead worker.
  await until(() => putsSince(emulator, before) >= 20, "first writes");
  const victim = workers[0] as Child;
  const id = /worker (\S+) started/.exec(victim.stdout())?.[1];
  expect(id).toBeDefined();
  const spy = new Redis(redis.url);
  let held: string | undefined;
  await until(async () => {
    for (const jobId of await spy.lrange("bull:fleet:active", 0, -1)) {
      if ((await spy.get(`bull:fleet:${jobId}:lock`))?.startsWith(`${id}:`)) held = jobId;
    }
    if (held) victim.process.kill("SIGKILL");
    return held !== undefined;
  }, "a job held by the first worker");
  await spy.quit();
  const killedAt = putsSince(emulator, before);
  await workers[0]?.done.catch(() => {});
  const replacement = startWorker();
  await until(async () => (await watcher?.stats())?.pendingTargets === 0, "drained", 60_000);

  const expected = expectedFleetData(PRODUCERS, ROUNDS);
  const wrong = emails.filter((email) => {
    const data = emulator.contacts().find((c) => c.email === email)?.data;
    return JSON.stringify(sorted(data)) !== JSON.stringify(sorted(expected));
  });
  expect(wrong).toEqual([]);
  const writes = emails.map((email) => writesTo(emulator, email));
  expect(Math.max(...writes)).toBeLessThanOrEqual(2);
  const log = emulator.requests({ since: before });
  const limited = log.filter((r) => r.status === 429 || r.status === 420).length;
  expect(limited / log.length).toBeLessThanOrEqual(0.05);
  expect(await watcher?.stats()).toMatchObject({ pendingTargets: 0, failed: 0 });
  expect(killedAt).toBeLessThan(500);
  // The bin stops cleanly on SIGTERM (exit code 0) once its writes are done.
  for (const survivor of [workers[1] as Child, replacement]) {
    survivor.process.kill("SIGTERM");
    await expect(survivor.done).resolves.toMatch(/worker \S+ started/);
  }
});

it("a graceful Redis restart (SHUTDOWN) mid-run loses no acknowledged update", async () => {
  // No contact exists yet: each is created by its first write (the REST client's createMissing).
  const { emulator, emails, startWorker, startProducers } = await fleet("restart", 200, false);
  startWorker();
  startWorker();
  const producers = startProducers();
  await until(() => emulator.contacts().length >= 10, "first writes");
  // Acknowledged updates are waiting in Redis, not yet in Crisp, when it restarts.
  expect((await watcher?.stats())?.pendingTargets).toBeGreaterThan(0);
  await redis.restart();
  const reports = (await Promise.all(producers.map((p) => p.done))).map((out) => JSON.parse(out));
  for (const report of reports) expect(report.acked).toBe(200 * ROUNDS);
  await until(async () => (await watcher?.stats())?.pendingTargets === 0, "drained", 60_000);
  const expected = sorted(expectedFleetData(PRODUCERS, ROUNDS, false));
  for (const email of emails) {
    expect(sorted(emulator.contacts().find((c) => c.email === email)?.data)).toEqual(expected);
  }
  expect(await watcher?.stats()).toMatchObject({ failed: 0 });
});

function sorted(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}
