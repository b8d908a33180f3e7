import { CrispDataError } from "@crisp-data/core";
import {
  CrispApiError,
  type CrispRestClientOptions,
  type CrispTarget,
  createCrispRestClient,
} from "@crisp-data/core/server";
import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { closeConnection, openConnection } from "./connection";
import { type DecodedPatch, decodePatch, hasWork } from "./patch";
import { type CrispQueueBaseOptions, createScheduler, DEFAULT_QUEUE_NAME } from "./queue";
import { scripts } from "./scripts";
import { type CrispJobData, parseJobId } from "./targets";

/** Options of `startCrispWorker`. */
export interface CrispWorkerOptions extends CrispQueueBaseOptions {
  /**
   * The REST client each worker writes with (`identifier`, `key`, `baseUrl`, `tier`, `timeoutMs`, …). Its
   * `concurrency` is set to `jobConcurrency`, and rate limits are not waited out inside it (`retry.maxWaitMs` is
   * 0): a 429 pauses every worker of the queue instead, through `worker.rateLimit()`. Default `{}`: the token
   * from `CRISP_API_IDENTIFIER` and `CRISP_API_KEY`, as the REST client reads them.
   */
  rest?: CrispRestClientOptions;
  /** Jobs (targets) this worker writes at once (default 4). */
  jobConcurrency?: number;
  /**
   * The fleet-wide rate: at most `max` jobs start per `duration` ms across every worker of the queue (BullMQ's
   * limiter; default 1 per 100 ms). A job makes one request per route (PATCH, or GET then PUT), so this is also
   * the rate of each route. Prefer short windows (`{ max: 5, duration: 100 }` over `{ max: 50, duration: 1000 }`):
   * a fixed window lets twice its `max` through across a boundary.
   */
  limiter?: { max: number; duration: number };
  /**
   * How long a job's lock lasts without renewal (default 5,000 ms): a worker killed mid-write has its job taken
   * over by another about one to two lock durations later.
   */
  lockDurationMs?: number;
  /** How long every worker pauses after a 429 or 420 (default 1,000 ms). */
  rateLimitPauseMs?: number;
  /** Called once per job that failed for good (it stays in BullMQ's failed set, with the error in its data). */
  onError?: (error: CrispApiError | Error, target: CrispTarget) => void;
}

/** A running worker; see `startCrispWorker`. */
export interface CrispWorker {
  /** Stop taking jobs, finish the writes under way, then close the connections this worker opened. */
  close(): Promise<void>;
  /** The BullMQ worker underneath, for events and metrics. */
  readonly bullWorker: Worker<CrispJobData>;
}

/** 10 jobs a second, one every 100 ms: see `smoothLimiter`. */
const DEFAULT_LIMITER = { max: 1, duration: 100 };

/**
 * Start a worker: takes one target's job at a time per slot, takes its coalesced patch from Redis atomically,
 * writes it with `@crisp-data/core/server`'s REST client, and runs the job again if updates arrived meanwhile.
 * Workers of one queue share BullMQ's limiter, so adding workers never overruns the credential's rate.
 *
 * @example
 * import { startCrispWorker } from "@crisp-data/queue";
 * const worker = startCrispWorker({
 *   connection: "redis://127.0.0.1:6379",
 *   rest: { identifier: process.env.CRISP_API_IDENTIFIER!, key: process.env.CRISP_API_KEY! },
 *   jobConcurrency: 8,
 *   limiter: { max: 20, duration: 1000 },
 * });
 * process.on("SIGTERM", () => void worker.close());
 */
export function startCrispWorker(options: CrispWorkerOptions): CrispWorker {
  const jobConcurrency = positive(options.jobConcurrency ?? 4, "jobConcurrency");
  const lockDuration = positive(options.lockDurationMs ?? 5000, "lockDurationMs");
  const pauseMs = positive(options.rateLimitPauseMs ?? 1000, "rateLimitPauseMs");
  const limiter = options.limiter ?? DEFAULT_LIMITER;
  positive(limiter.max, "limiter.max");
  positive(limiter.duration, "limiter.duration");
  const rest = createCrispRestClient({
    ...options.rest,
    concurrency: jobConcurrency,
    retry: { ...options.rest?.retry, maxWaitMs: 0 },
  });
  const redis = openConnection(options.connection, "startCrispWorker", true);
  const scheduler = createScheduler(redis, options);
  const { keys, queue } = scheduler;
  /** Jobs this worker failed for good, so the failed event knows to hand their target on. */
  const failedForGood = new Set<string>();
  const followUps = new Set<Promise<void>>();

  async function run(job: Job<CrispJobData>, token?: string): Promise<void> {
    const jobId = job.id as string;
    const { target } = job.data;
    const taken = await scripts.take(redis, [keys.patch(jobId), keys.inflight(jobId), keys.done], [jobId]);
    const patch = decodePatch(taken as string[]);
    try {
      if (hasWork(patch)) await write(target, patch);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      if (error instanceof CrispApiError && (error.status === 429 || error.status === 420)) {
        // Every worker of the queue waits, and this job goes back to the head of the line with its patch kept.
        await worker.rateLimit(pauseMs);
        throw Worker.RateLimitError();
      }
      const final = !isRetryable(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!final) throw error; // the in-flight patch stays for the next attempt
      await job.updateData({ target, failed: { ...patch, error: describe(error) } });
      await scripts.finish(
        redis,
        [keys.patch(jobId), keys.inflight(jobId), keys.done, keys.pending],
        [jobId, Date.now()],
      );
      failedForGood.add(jobId);
      try {
        options.onError?.(error, target);
      } catch {
        // A throwing onError must not stop the worker.
      }
      throw new UnrecoverableError(error.message);
    }
    const again = await scripts.finish(
      redis,
      [keys.patch(jobId), keys.inflight(jobId), keys.done, keys.pending],
      [jobId, Date.now()],
    );
    if (again === 1) {
      // Updates arrived during the write: the same job (same id, so still one per target) runs again, behind the
      // jobs already waiting, which gives more updates time to join it.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  }

  function write(target: CrispTarget, patch: DecodedPatch): Promise<void> {
    if (target.type === "session") return rest.setSessionData(target.websiteId, target.sessionId, patch.data);
    const options = patch.nickname === undefined ? undefined : { nickname: patch.nickname };
    return patch.replace
      ? rest.replaceContactData(target.websiteId, target.peopleId, patch.data, options)
      : rest.setContactData(target.websiteId, target.peopleId, patch.data, options);
  }

  /** After the job left (removed, or failed): clear its done mark and reschedule what arrived meanwhile. */
  function settle(job: Job<CrispJobData>, failed: boolean): void {
    const jobId = job.id as string;
    const work = (async () => {
      const left = await scripts.settle(redis, [keys.patch(jobId), keys.done], [jobId]);
      if (left === 1) await scheduler.schedule(jobId, job.data.target, failed);
    })()
      // Redis away: the sweep repairs it once the mark is old.
      .catch(() => {})
      .finally(() => followUps.delete(work));
    followUps.add(work);
  }

  const worker = new Worker<CrispJobData>(options.name ?? DEFAULT_QUEUE_NAME, run, {
    connection: redis,
    prefix: options.prefix ?? "bull",
    concurrency: jobConcurrency,
    limiter,
    lockDuration,
    stalledInterval: lockDuration,
    // Writes are idempotent: a job whose workers keep dying is written again rather than failed.
    maxStalledCount: 10,
  });
  worker.on("completed", (job) => settle(job, false));
  worker.on("failed", (job) => {
    if (job?.id && failedForGood.delete(job.id)) settle(job, true);
  });
  // Connection errors are retried by ioredis; without a listener Node would throw them.
  worker.on("error", () => {});

  let cursor = "0";
  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      const [next, orphans] = (await scripts.sweep(
        redis,
        [keys.done, keys.pending],
        [queue.toKey(""), Date.now() - 2 * lockDuration, keys.patchPrefix, keys.inflightPrefix, cursor, 200],
      )) as [string, string[]];
      cursor = next;
      for (const jobId of orphans) {
        const target = parseJobId(jobId);
        if (target) await scheduler.schedule(jobId, target, false);
      }
    })()
      .catch(() => {})
      .finally(() => {
        sweeping = false;
      });
  }, lockDuration);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    bullWorker: worker,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        await worker.close();
        await Promise.allSettled([...followUps]);
        await queue.close();
        await closeConnection(redis);
      })();
      return closing;
    },
  };
}

/** A 5xx that outlived the REST client's retries, a timeout or a connection error: BullMQ retries with backoff. */
function isRetryable(error: Error): boolean {
  if (error instanceof CrispApiError) return error.status >= 500;
  return !(error instanceof CrispDataError);
}

function describe(error: Error): NonNullable<CrispJobData["failed"]>["error"] {
  return error instanceof CrispApiError
    ? { name: error.name, message: error.message, status: error.status, reason: error.reason }
    : { name: error.name, message: error.message };
}

function positive(value: number, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CrispDataError([{ key: name, code: "invalid_value" }], `[crisp-data] ${name} must be a positive number.`);
  }
  return value;
}
