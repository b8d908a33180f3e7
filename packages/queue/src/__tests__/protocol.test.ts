// The Redis side of the handoff, script by script, on a real redis-server: who schedules a target's job in each
// state, and how pending and in-flight patches merge.
import { Queue } from "bullmq";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../../../scripts/ensure-redis.mjs";
import { decodePatch } from "../patch";
import { scripts } from "../scripts";
import { JOB_NAME, queueKeys } from "../targets";

let server: RedisServer;
let redis: Redis;
let queue: Queue;
let keys: ReturnType<typeof queueKeys>;
let n = 0;
const target = { type: "contact", websiteId: "w", peopleId: "ada@example.com" } as const;
const id = "contact/w/ada%40example.com";

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await queue?.close();
  await redis?.quit();
  await server?.stop();
});
beforeEach(async () => {
  await queue?.close();
  queue = new Queue(`p${++n}`, { connection: redis });
  keys = queueKeys(queue.toKey);
});

function enqueue(fields: Record<string, unknown>, replace = false, now = Date.now(), nickname = "") {
  const args = Object.entries(fields).flatMap(([k, v]) => [k, JSON.stringify(v)]);
  return scripts.enqueue(
    redis,
    [keys.patch(id), keys.pending, keys.done, queue.toKey(id), queue.toKey("failed")],
    [id, now, replace ? "1" : "0", nickname, ...args],
  );
}
const take = async () =>
  decodePatch((await scripts.take(redis, [keys.patch(id), keys.inflight(id), keys.done], [id])) as string[]);
const finish = () =>
  scripts.finish(redis, [keys.patch(id), keys.inflight(id), keys.done, keys.pending], [id, Date.now()]);

describe("enqueue says who schedules the job", () => {
  it("1 when the target has no job, 0 once one waits", async () => {
    expect(await enqueue({ plan: "pro" })).toBe(1);
    await queue.add(JOB_NAME, { target }, { jobId: id });
    expect(await enqueue({ seats: 2 })).toBe(0);
  });

  it("3 while the job is finishing (done mark set): its worker reschedules after removal", async () => {
    await queue.add(JOB_NAME, { target }, { jobId: id });
    await redis.hset(keys.done, id, Date.now());
    expect(await enqueue({ plan: "pro" })).toBe(3);
    // The job is gone: settle reports the leftover patch and clears the mark.
    await (await queue.getJob(id))?.remove();
    expect(await scripts.settle(redis, [keys.patch(id), keys.done], [id])).toBe(1);
    expect(await redis.hexists(keys.done, id)).toBe(0);
  });

  it("2 when the target's job sits in the failed set", async () => {
    await queue.add(JOB_NAME, { target }, { jobId: id });
    await redis.zadd(queue.toKey("failed"), Date.now(), id);
    expect(await enqueue({ plan: "pro" })).toBe(2);
  });
});

describe("patches", () => {
  it("merge per key, latest wins, deletions kept; one pending entry with the oldest time", async () => {
    await enqueue({ plan: "free", seats: 1 }, false, 1000);
    await enqueue({ plan: "pro", coupon: "" }, false, 2000);
    expect(await redis.zrange(keys.pending, "0", "-1", "WITHSCORES")).toEqual([id, "1000"]);
    expect(await take()).toEqual({ replace: false, data: { plan: "pro", seats: 1, coupon: null } });
  });

  it("a replace drops what was pending before it, and what follows merges into it", async () => {
    await enqueue({ plan: "free", seats: 1 });
    await enqueue({ only: true }, true);
    await enqueue({ seats: 3 });
    expect(await take()).toEqual({ replace: true, data: { only: true, seats: 3 } });
  });

  it("keeps the latest nickname given, across a replace", async () => {
    await enqueue({ plan: "free" }, false, Date.now(), "Ada");
    await enqueue({ only: true }, true);
    expect(await take()).toEqual({ replace: true, nickname: "Ada", data: { only: true } });
    await enqueue({ seats: 1 }, false, Date.now(), "Ada L.");
    expect(await take()).toEqual({ replace: true, nickname: "Ada L.", data: { only: true, seats: 1 } });
  });

  it("an in-flight patch whose write did not finish is taken again, under the newer pending one", async () => {
    await enqueue({ plan: "free", seats: 1 });
    await take(); // a worker took it, then died before finishing
    await enqueue({ plan: "pro" });
    expect(await take()).toEqual({ replace: false, data: { plan: "pro", seats: 1 } });
    // A pending replace wins over the in-flight merge entirely.
    await enqueue({ only: true }, true);
    expect(await take()).toEqual({ replace: true, data: { only: true } });
  });

  it("finish: run again when updates arrived during the write, else done (marked, no longer pending)", async () => {
    await enqueue({ plan: "free" }, false, 1000);
    await take();
    await enqueue({ plan: "pro" }, false, 5000);
    expect(await finish()).toBe(1);
    expect(await redis.zscore(keys.pending, id)).toBe("5000");
    await take();
    expect(await finish()).toBe(0);
    expect(await redis.zcard(keys.pending)).toBe(0);
    expect(await redis.hexists(keys.done, id)).toBe(1);
    expect(await redis.exists(keys.inflight(id), keys.patch(id))).toBe(0);
  });

  it("the sweep finds a patch left without a job and forgets a pending target with nothing left", async () => {
    await enqueue({ plan: "pro" }); // a producer died before adding the job
    await redis.zadd(keys.pending, 1, "contact/w/gone");
    const [, orphans] = (await scripts.sweep(
      redis,
      [keys.done, keys.pending],
      [queue.toKey(""), Date.now(), keys.patchPrefix, keys.inflightPrefix, "0", 100],
    )) as [string, string[]];
    expect(orphans).toEqual([id]);
    expect(await redis.zrange(keys.pending, "0", "-1")).toEqual([id]);
  });
});

describe("property: whatever the interleaving of updates, takes, writes and crashes", () => {
  type Value = string | number | boolean | null;
  type Op =
    | { kind: "set"; data: Record<string, Value> }
    | { kind: "replace"; data: Record<string, Value> }
    | { kind: "write" }
    | { kind: "crash" };
  const key = fc.constantFrom("a", "b", "c", "d");
  const value = fc.oneof(fc.constantFrom<Value>(null, "", true, false), fc.integer(), fc.string({ maxLength: 3 }));
  const data = fc.dictionary(key, value, { maxKeys: 3 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    data.map((d) => ({ kind: "set" as const, data: d })),
    data.map((d) => ({ kind: "replace" as const, data: d })),
    fc.constant({ kind: "write" as const }),
    fc.constant({ kind: "crash" as const }),
  );

  /** What Crisp holds after applying `patch` (set-only keys for a replace; `null` deletes). */
  function apply(store: Record<string, Value>, patch: { replace: boolean; data: Record<string, Value> }) {
    const next = new Map(patch.replace ? [] : Object.entries(store));
    for (const [k, v] of Object.entries(patch.data)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    return Object.fromEntries(next);
  }

  it("Crisp ends with every update applied in order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        await redis.del(keys.patch(id), keys.inflight(id), keys.pending, keys.done);
        let crisp: Record<string, Value> = { a: "initial" };
        let intent: Record<string, Value> = { a: "initial" };
        const write = async () => {
          const patch = await take();
          crisp = apply(crisp, patch);
          await finish();
        };
        for (const step of ops) {
          if (step.kind === "set" || step.kind === "replace") {
            await enqueue(step.data, step.kind === "replace");
            intent = apply(intent, { replace: step.kind === "replace", data: step.data });
          } else if (step.kind === "write") await write();
          else await take(); // a worker took the patch and died before writing
        }
        await write();
        expect(crisp).toEqual(intent);
        expect(await redis.exists(keys.patch(id), keys.inflight(id))).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
