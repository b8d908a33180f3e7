import { CrispDataError, type CrispDataInput, validateInputStrict } from "@crisp-data/core";
import {
  type ContactWriteOptions,
  type CrispTarget,
  checkNickname,
  contactTarget,
  sessionTarget,
} from "@crisp-data/core/server";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type CrispQueueConnection, closeConnection, openConnection } from "./connection";
import { encodeEntries } from "./patch";
import { scripts } from "./scripts";
import { type CrispJobData, JOB_NAME, JOB_OPTIONS, jobIdOf, type QueueKeys, queueKeys } from "./targets";

/** Default BullMQ queue name: one queue per Crisp credential. */
export const DEFAULT_QUEUE_NAME = "crisp-data";

/** Options shared by `createCrispQueue` and `startCrispWorker`. */
export interface CrispQueueBaseOptions {
  /** Redis: an ioredis client (duplicated), ioredis options or a `redis://` URL. */
  connection: CrispQueueConnection;
  /** BullMQ queue name (default `"crisp-data"`). Producers and workers of one Crisp credential share one. */
  name?: string;
  /** BullMQ key prefix (default `"bull"`). */
  prefix?: string;
}

/** Options of `createCrispQueue`. */
export type CrispQueueOptions = CrispQueueBaseOptions;

/** What `queue.stats()` reports. */
export interface CrispQueueStats {
  /** Targets with an update not yet written to Crisp (one per target, however many updates). */
  readonly pendingTargets: number;
  /** Age in ms of the oldest update not yet written, `null` when nothing is pending. */
  readonly oldestPendingAgeMs: number | null;
  /** Jobs kept in BullMQ's failed set (each with its `CrispApiError` in `job.data.failed`). */
  readonly failed: number;
}

/** The producer side; see `createCrispQueue`. */
export interface CrispQueue {
  /**
   * Merge `data` into a contact's data (`null`, `undefined` and `""` delete a key). Resolves once the update is
   * durable in Redis, not when it reaches Crisp. A contact missing in Crisp whose `peopleId` is an email is
   * created by the worker (with `options.nickname`, default the email's local part), as the REST client does.
   * @throws CrispDataError synchronously for an invalid key, value or id; nothing is stored.
   * @example
   * await queue.setContactData(websiteId, "ada@example.com", { plan: "pro", trial_ends: null }, { nickname: "Ada" });
   */
  setContactData(
    websiteId: string,
    peopleId: string,
    data: CrispDataInput,
    options?: ContactWriteOptions,
  ): Promise<void>;
  /**
   * Replace a contact's whole data map; `{}` clears it. Updates queued before it for this contact are dropped.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await queue.replaceContactData(websiteId, peopleId, {});
   */
  replaceContactData(
    websiteId: string,
    peopleId: string,
    data: CrispDataInput,
    options?: ContactWriteOptions,
  ): Promise<void>;
  /**
   * Merge `data` into a conversation's custom data. Resolves once durable in Redis.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await queue.setSessionData(websiteId, sessionId, { order_id: 353, coupon: null });
   */
  setSessionData(websiteId: string, sessionId: string, data: CrispDataInput): Promise<void>;
  /**
   * Pending targets, age of the oldest pending update, failed jobs.
   * @example
   * const { pendingTargets, oldestPendingAgeMs, failed } = await queue.stats();
   */
  stats(): Promise<CrispQueueStats>;
  /** The BullMQ queue underneath, for Bull Board or inspection. Do not add jobs to it yourself. */
  readonly bullQueue: Queue<CrispJobData>;
  /** Wait for calls under way, then close the Redis connections this queue opened. */
  close(): Promise<void>;
}

/** Shared by producers and workers: make sure a target whose patch is in Redis has a job. */
export interface Scheduler {
  readonly queue: Queue<CrispJobData>;
  readonly redis: Redis;
  readonly keys: QueueKeys;
  /** Add the target's job, or retry it when it failed for good (a failed job keeps the id). */
  schedule(jobId: string, target: CrispTarget, failed: boolean): Promise<void>;
}

export function createScheduler(redis: Redis, options: CrispQueueBaseOptions): Scheduler {
  const queue = new Queue<CrispJobData>(options.name ?? DEFAULT_QUEUE_NAME, {
    connection: redis,
    prefix: options.prefix ?? "bull",
  });
  // Connection errors are retried by ioredis and surface as rejected calls; unheard, BullMQ prints each one.
  queue.on("error", () => {});
  const keys = queueKeys(queue.toKey);
  async function add(jobId: string, target: CrispTarget): Promise<void> {
    // An id already waiting, running or failed makes this a no-op; the enqueue script decided it is not.
    await queue.add(JOB_NAME, { target }, { jobId, ...JOB_OPTIONS });
  }
  return {
    queue,
    redis,
    keys,
    async schedule(jobId, target, failed) {
      if (!failed) return add(jobId, target);
      const job = await queue.getJob(jobId);
      if (!job) return add(jobId, target);
      try {
        await job.retry("failed");
      } catch (error) {
        // Another producer retried it first: it waits again and will take this patch too.
        if ((await queue.getJobState(jobId)) === "failed") throw error;
      }
    },
  };
}

/**
 * Create a producer: validates like `@crisp-data/core/server`'s REST client, merges each update into the
 * target's patch in Redis (atomically, across every process: per key the latest wins, deletions kept) and makes
 * sure one BullMQ job per target will write it. Run `startCrispWorker` somewhere to drain the queue.
 *
 * @example
 * import { createCrispQueue } from "@crisp-data/queue";
 * const queue = createCrispQueue({ connection: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
 * await queue.setContactData(websiteId, "ada@example.com", { plan: "pro", seats: 5 }); // durable in Redis
 * await queue.close();
 */
export function createCrispQueue(options: CrispQueueOptions): CrispQueue {
  const redis = openConnection(options?.connection, "createCrispQueue", false);
  const scheduler = createScheduler(redis, options);
  const { keys, queue } = scheduler;
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  function enqueue(target: CrispTarget, data: CrispDataInput, replace: boolean, nickname = ""): Promise<void> {
    const entries = validateInputStrict(data);
    if (closing) {
      return Promise.reject(
        new CrispDataError([{ key: "", code: "push_failed" }], "[crisp-data] This queue is closed: create a new one."),
      );
    }
    // An empty merge changes nothing, as with the REST client.
    if (!replace && entries.size === 0) return Promise.resolve();
    const jobId = jobIdOf(target);
    const work = (async () => {
      const verdict = await scripts.enqueue(
        redis,
        [keys.patch(jobId), keys.pending, keys.done, queue.toKey(jobId), queue.toKey("failed")],
        [jobId, Date.now(), replace ? "1" : "0", nickname, ...encodeEntries(entries)],
      );
      if (verdict === 1 || verdict === 2) await scheduler.schedule(jobId, target, verdict === 2);
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  }

  return {
    setContactData(websiteId, peopleId, data, options) {
      return enqueue(contactTarget(websiteId, peopleId), data, false, checkNickname(options));
    },
    replaceContactData(websiteId, peopleId, data, options) {
      return enqueue(contactTarget(websiteId, peopleId), data, true, checkNickname(options));
    },
    setSessionData(websiteId, sessionId, data) {
      return enqueue(sessionTarget(websiteId, sessionId), data, false);
    },
    async stats() {
      const [pending, oldest, failed] = await Promise.all([
        redis.zcard(keys.pending),
        redis.zrange(keys.pending, "0", "0", "WITHSCORES"),
        queue.getFailedCount(),
      ]);
      const since = oldest[1] === undefined ? undefined : Number(oldest[1]);
      return {
        pendingTargets: pending,
        oldestPendingAgeMs: since === undefined ? null : Math.max(0, Date.now() - since),
        failed,
      };
    },
    bullQueue: queue,
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await queue.close();
        await closeConnection(redis);
      })();
      return closing;
    },
  };
}
