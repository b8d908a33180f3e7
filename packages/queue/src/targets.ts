import type { CrispTarget } from "@crisp-data/core/server";

/**
 * The job id of a target: `contact/<websiteId>/<peopleId>` or `session/<websiteId>/<sessionId>`, each id
 * URL-encoded, so it never contains the `:` BullMQ refuses in custom ids and two targets never share one.
 */
export function jobIdOf(target: CrispTarget): string {
  return target.type === "contact"
    ? `contact/${encodeURIComponent(target.websiteId)}/${encodeURIComponent(target.peopleId)}`
    : `session/${encodeURIComponent(target.websiteId)}/${encodeURIComponent(target.sessionId)}`;
}

/** The Redis keys of one queue besides BullMQ's own (they contain `:` after the queue's, which job ids cannot). */
export interface QueueKeys {
  patch(jobId: string): string;
  inflight(jobId: string): string;
  readonly patchPrefix: string;
  readonly inflightPrefix: string;
  /** Sorted set: target → time of its oldest update not yet written. */
  readonly pending: string;
  /** Hash: target → time its job decided it was done, until that job is removed. */
  readonly done: string;
}

export function queueKeys(bullKey: (type: string) => string): QueueKeys {
  const base = bullKey("crisp-data:");
  const patchPrefix = `${base}patch:`;
  const inflightPrefix = `${base}inflight:`;
  return {
    patch: (jobId) => patchPrefix + jobId,
    inflight: (jobId) => inflightPrefix + jobId,
    patchPrefix,
    inflightPrefix,
    pending: `${base}pending`,
    done: `${base}done`,
  };
}

/** The target back from a job id (for jobs the sweep re-adds); `undefined` for an id of another shape. */
export function parseJobId(jobId: string): CrispTarget | undefined {
  const [type, websiteId, id, extra] = jobId.split("/");
  if (extra !== undefined || !websiteId || !id) return undefined;
  if (type === "contact") return { type, websiteId: decodeURIComponent(websiteId), peopleId: decodeURIComponent(id) };
  if (type === "session") return { type, websiteId: decodeURIComponent(websiteId), sessionId: decodeURIComponent(id) };
  return undefined;
}

/**
 * Options of every job. Completed jobs are removed (their id must be free for the target's next update); failed
 * ones are kept, with the refused write in their data, until the target's next update retries them. 5xx,
 * timeouts and connection errors that outlived the REST client's own retries are tried again with backoff
 * (1 s, 2 s, … about 4 minutes in all).
 */
export const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: false,
  attempts: 8,
  backoff: { type: "exponential", delay: 1000 },
} as const;

/** The name every job carries (one kind of job: write a target's patch). */
export const JOB_NAME = "write";

/** What a job's data holds: the target, so a worker needs nothing else. */
export interface CrispJobData {
  target: CrispTarget;
  /** Set when the job failed for good: the write that was refused and Crisp's answer. */
  failed?: {
    replace: boolean;
    data: Record<string, string | number | boolean | null>;
    error: { name: string; message: string; status?: number; reason?: string };
  };
}
