import { CrispDataError } from "@crisp-data/core";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../../../scripts/ensure-redis.mjs";
import { type CrispQueue, type CrispWorker, createCrispQueue, startCrispWorker } from "../index";
import { scripts } from "../scripts";
import { createContacts, restHeaders, until, writesTo } from "./helpers";

let redis: RedisServer;
let emulator: Emulator;
let queueName: string;
let counter = 0;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  emulator = await startEmulator();
  // A queue per test: nothing one test leaves in Redis reaches the next.
  queueName = `q${++counter}`;
});
afterEach(async () => {
  for (const handle of opened.splice(0).reverse()) await handle.close();
  await emulator.close();
});

function producer(): CrispQueue {
  const queue = createCrispQueue({ connection: redis.url, name: queueName });
  opened.push(queue);
  return queue;
}

function worker(rest: Partial<Parameters<typeof startCrispWorker>[0]["rest"]> = {}, extra = {}): CrispWorker {
  const started = startCrispWorker({
    connection: redis.url,
    name: queueName,
    rest: { identifier: emulator.identifier, key: emulator.key, baseUrl: `${emulator.url}/v1/`, ...rest },
    limiter: { max: 1000, duration: 1000 },
    lockDurationMs: 2000,
    ...extra,
  });
  opened.push(started);
  return started;
}

async function drained(queue: CrispQueue): Promise<void> {
  await until(async () => (await queue.stats()).pendingTargets === 0, "queue drained");
}

function dataOf(email: string): Record<string, unknown> | undefined {
  return emulator.contacts().find((c) => c.email === email)?.data;
}

describe("producer", () => {
  it("throws CrispDataError synchronously for an invalid key, value or id, and stores nothing", async () => {
    const queue = producer();
    expect(() => queue.setContactData(emulator.websiteId, "a@example.com", { Plan: "pro" })).toThrow(CrispDataError);
    expect(() => queue.setContactData(emulator.websiteId, "a@example.com", { plan: Number.NaN })).toThrow(/plan/);
    expect(() => queue.setSessionData(emulator.websiteId, "", { plan: "pro" })).toThrow(/sessionId/);
    expect(() => queue.replaceContactData("", "a@example.com", {})).toThrow(/websiteId/);
    // The REST client's route checks: an id that URL resolution would turn into another route is refused here,
    // not left to fail in a worker on every retry.
    for (const id of ["..", ".", "a/b", "%2F"]) {
      expect(() => queue.setContactData(emulator.websiteId, id, { plan: "pro" })).toThrow(/peopleId/);
      expect(() => queue.setSessionData(emulator.websiteId, id, { plan: "pro" })).toThrow(/sessionId/);
      expect(() => queue.setSessionData(id, "session_1", { plan: "pro" })).toThrow(/websiteId/);
    }
    expect(await queue.stats()).toEqual({ pendingTargets: 0, oldestPendingAgeMs: null, failed: 0 });
  });

  it("keeps one pending entry per target however many producers and updates, until a worker writes it", async () => {
    const [a, b] = [producer(), producer()];
    await Promise.all([
      a.setContactData(emulator.websiteId, "x@example.com", { plan: "free" }),
      b.setContactData(emulator.websiteId, "x@example.com", { plan: "pro", seats: 3 }),
      b.setContactData(emulator.websiteId, "y@example.com", { plan: "pro" }),
    ]);
    const stats = await a.stats();
    expect(stats.pendingTargets).toBe(2);
    expect(stats.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    const jobs = await a.bullQueue.getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((job) => job.id).sort()).toEqual([
      `contact/${emulator.websiteId}/x%40example.com`,
      `contact/${emulator.websiteId}/y%40example.com`,
    ]);
  });
});

describe("worker", () => {
  it("coalesces updates from several producers into one write per target, latest per key, deletions kept", async () => {
    const emails = await createContacts(emulator, 20, { legacy: "x", keep: "y" });
    const producers = [producer(), producer(), producer()];
    // Each producer owns some keys; all of them also touch `shared` in a known order.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        producers.flatMap((queue, p) =>
          emails.map((email) => queue.setContactData(emulator.websiteId, email, { [`p${p}`]: round, legacy: null })),
        ),
      );
    }
    await producers[0]?.setContactData(emulator.websiteId, emails[0] as string, { shared: "first" });
    await producers[1]?.setContactData(emulator.websiteId, emails[0] as string, { shared: "last" });
    await producers[2]?.replaceContactData(emulator.websiteId, emails[1] as string, { only: true, gone: null });
    const queue = producers[0] as CrispQueue;
    worker({}, { jobConcurrency: 4 });
    await drained(queue);
    expect(dataOf(emails[0] as string)).toEqual({ keep: "y", p0: 4, p1: 4, p2: 4, shared: "last" });
    expect(dataOf(emails[1] as string)).toEqual({ only: true });
    for (const email of emails.slice(2)) expect(dataOf(email)).toEqual({ keep: "y", p0: 4, p1: 4, p2: 4 });
    for (const email of emails) expect(writesTo(emulator, email)).toBe(1);
  });

  it("keeps an update that arrives while its target's job is writing for a second write of the same job", async () => {
    const [email] = await createContacts(emulator, 1);
    const queue = producer();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = 0;
    worker({
      fetch: async (input, init) => {
        if (init?.method === "PATCH" && held++ === 0) await gate;
        return fetch(input, init);
      },
    });
    await queue.setContactData(emulator.websiteId, email as string, { step: 1, a: "a" });
    await until(() => held === 1, "first write under way");
    await queue.setContactData(emulator.websiteId, email as string, { step: 2, b: "b" });
    release();
    await drained(queue);
    expect(dataOf(email as string)).toEqual({ step: 2, a: "a", b: "b" });
    expect(writesTo(emulator, email as string)).toBe(2);
  });

  it("creates a contact missing in Crisp, with the nickname of the update (the REST client's createMissing)", async () => {
    const queue = producer();
    await queue.setContactData(emulator.websiteId, "new@example.com", { plan: "pro" }, { nickname: "Newcomer" });
    expect(() => queue.setContactData(emulator.websiteId, "new@example.com", {}, { nickname: " " })).toThrow(
      /nickname/,
    );
    worker();
    await drained(queue);
    expect(emulator.contacts().find((c) => c.email === "new@example.com")).toMatchObject({
      nickname: "Newcomer",
      data: { plan: "pro" },
    });
  });

  it("writes session data", async () => {
    const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/conversation`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
        "X-Crisp-Tier": "plugin",
      },
    });
    const { data } = (await response.json()) as { data: { session_id: string } };
    const queue = producer();
    await queue.setSessionData(emulator.websiteId, data.session_id, { order_id: 353, coupon: "x" });
    await queue.setSessionData(emulator.websiteId, data.session_id, { coupon: null });
    worker();
    await drained(queue);
    expect(emulator.sessions()[0]?.data).toEqual({ order_id: 353 });
  });

  it("keeps a job Crisp refused in the failed set with its CrispApiError, and retries it on the next update", async () => {
    const queue = producer();
    const errors: unknown[] = [];
    // Without createMissing the REST client leaves a missing contact missing: Crisp answers 404.
    worker({ createMissing: false }, { onError: (error: unknown) => errors.push(error) });
    await queue.setContactData(emulator.websiteId, "nobody@example.com", { plan: "pro" });
    await until(async () => (await queue.stats()).failed === 1, "job failed");
    const [job] = await queue.bullQueue.getFailed();
    expect(job?.id).toBe(`contact/${emulator.websiteId}/nobody%40example.com`);
    expect(job?.data.failed).toMatchObject({
      data: { plan: "pro" },
      error: { name: "CrispApiError", status: 404, reason: "not_found" },
    });
    expect(errors).toHaveLength(1);
    expect((await queue.stats()).pendingTargets).toBe(0);

    // Once the contact exists, the next update for it retries the same job.
    await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
        "X-Crisp-Tier": "plugin",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ email: "nobody@example.com", person: { nickname: "Nobody" } }),
    });
    await queue.setContactData(emulator.websiteId, "nobody@example.com", { seats: 2 });
    await until(async () => (await queue.stats()).failed === 0, "failed job retried");
    await drained(queue);
    expect(dataOf("nobody@example.com")).toEqual({ seats: 2 });
  });

  it("pauses every worker on a 429 and writes everything once the rate allows", async () => {
    await emulator.close();
    emulator = await startEmulator({ rateLimit: 20 });
    const emails = await createContacts(emulator, 60);
    const queue = producer();
    for (const email of emails) await queue.setContactData(emulator.websiteId, email, { plan: "pro" });
    // The limiter is set far above the emulator's rate: only the 429 pause keeps the workers in check.
    worker({}, { rateLimitPauseMs: 200 });
    worker({}, { rateLimitPauseMs: 200 });
    await drained(queue);
    for (const email of emails) expect(dataOf(email)).toEqual({ plan: "pro" });
    const writes = emulator.requests().filter((r) => r.method === "PATCH");
    expect(writes.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(writes.filter((r) => r.status === 200)).toHaveLength(60);
    expect((await queue.stats()).failed).toBe(0);
  });

  it("writes a patch whose producer died before adding its job (the sweep finds it)", async () => {
    const [email] = await createContacts(emulator, 1);
    const queue = producer();
    // What a producer killed between its Redis merge and its job add leaves: a pending patch and no job.
    const jobId = `contact/${emulator.websiteId}/${encodeURIComponent(email as string)}`;
    const client = new Redis(redis.url);
    await scripts.enqueue(
      client,
      [
        `bull:${queueName}:crisp-data:patch:${jobId}`,
        `bull:${queueName}:crisp-data:pending`,
        `bull:${queueName}:crisp-data:done`,
        `bull:${queueName}:${jobId}`,
        `bull:${queueName}:failed`,
      ],
      [jobId, Date.now(), "0", "", "plan", JSON.stringify("pro")],
    );
    await client.quit();
    expect((await queue.stats()).pendingTargets).toBe(1);
    worker({}, { lockDurationMs: 300 });
    await drained(queue);
    expect(dataOf(email as string)).toEqual({ plan: "pro" });
  });

  it("writes everything exactly through 30% faults (429, 420, 500, 503, timeouts, resets), failing nothing", async () => {
    await emulator.close();
    emulator = await startEmulator({ faults: { rate: 0.3, seed: 7 } });
    const created = await createContactsThroughFaults(
      emulator,
      Array.from({ length: 30 }, (_, i) => `user${i}@example.com`),
    );
    const queue = producer();
    for (const [i, email] of created.entries()) {
      await queue.setContactData(emulator.websiteId, email, { n: i, gone: null });
      await queue.setContactData(emulator.websiteId, email, { plan: "pro" });
    }
    worker({ timeoutMs: 300, retry: { minDelayMs: 10, maxDelayMs: 50 } }, { rateLimitPauseMs: 50 });
    await drained(queue);
    for (const [i, email] of created.entries()) expect(dataOf(email)).toEqual({ n: i, plan: "pro" });
    expect((await queue.stats()).failed).toBe(0);
    expect(emulator.requests().some((r) => r.fault !== undefined)).toBe(true);
  });

  it("close() finishes the write under way", async () => {
    const [email] = await createContacts(emulator, 1);
    const queue = producer();
    let started = false;
    const running = worker({
      fetch: async (input, init) => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return fetch(input, init);
      },
    });
    await queue.setContactData(emulator.websiteId, email as string, { plan: "pro" });
    await until(() => started, "write started");
    await running.close();
    expect(dataOf(email as string)).toEqual({ plan: "pro" });
    expect((await queue.stats()).pendingTargets).toBe(0);
  });
});

it("rejects a call when Redis cannot be reached (after ioredis' retries) instead of hanging, and closes", async () => {
  const gone = await startRedisServer();
  await gone.stop(); // a port where nothing listens any more
  const queue = createCrispQueue({
    connection: { host: "127.0.0.1", port: gone.port, maxRetriesPerRequest: 1, retryStrategy: () => 20 },
    name: queueName,
  });
  await expect(queue.setContactData(emulator.websiteId, "a@example.com", { plan: "pro" })).rejects.toThrow();
  await queue.close();
});

it("accepts an ioredis client as connection and leaves it open", async () => {
  const client = new Redis(redis.url);
  const queue = createCrispQueue({ connection: client, name: queueName });
  await queue.setContactData(emulator.websiteId, "a@example.com", { plan: "pro" });
  await queue.close();
  await expect(queue.setContactData(emulator.websiteId, "a@example.com", { plan: "pro" })).rejects.toThrow(
    /queue is closed/,
  );
  expect(await client.ping()).toBe("PONG");
  await client.quit();
});

/** Create contacts on an emulator that injects faults: retry each until it answers 200 or 409 (created already). */
async function createContactsThroughFaults(target: Emulator, emails: string[]): Promise<string[]> {
  for (const email of emails) {
    for (;;) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 200);
      try {
        const response = await fetch(`${target.url}/v1/website/${target.websiteId}/people/profile`, {
          method: "POST",
          headers: restHeaders(target),
          body: JSON.stringify({ email, person: { nickname: email }, data: { gone: "x" } }),
          signal: controller.signal,
        });
        if (response.ok || response.status === 409) break;
      } catch {
        // A reset or a timeout: try again.
      } finally {
        clearTimeout(timer);
      }
    }
  }
  return emails;
}
