import { CrispDataError } from "@crisp-data/core";
import type { CrispWorkerOptions } from "./worker";

/**
 * Worker options from the environment, for the `crisp-data-worker` bin: `REDIS_URL` (default
 * `redis://127.0.0.1:6379`), `CRISP_API_IDENTIFIER` and `CRISP_API_KEY` (required), `CRISP_API_URL` (default
 * Crisp's), and optionally `CRISP_RATE_LIMIT` (jobs per second for the whole fleet, default 10, in windows of about 100 ms: see `smoothLimiter`),
 * `CRISP_JOB_CONCURRENCY` (default 4), `CRISP_LOCK_MS` (default 5000), `CRISP_QUEUE_NAME` (default `crisp-data`).
 */
export function workerOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): CrispWorkerOptions {
  const identifier = env.CRISP_API_IDENTIFIER?.trim();
  const key = env.CRISP_API_KEY?.trim();
  if (!identifier || !key) {
    throw new CrispDataError(
      [{ key: identifier ? "CRISP_API_KEY" : "CRISP_API_IDENTIFIER", code: "invalid_value" }],
      "[crisp-data] crisp-data-worker needs CRISP_API_IDENTIFIER and CRISP_API_KEY (your Crisp token) in its environment.",
    );
  }
  const baseUrl = env.CRISP_API_URL?.trim() || undefined;
  return {
    connection: env.REDIS_URL?.trim() || "redis://127.0.0.1:6379",
    name: env.CRISP_QUEUE_NAME?.trim() || undefined,
    rest: baseUrl ? { identifier, key, baseUrl } : { identifier, key },
    jobConcurrency: number(env, "CRISP_JOB_CONCURRENCY"),
    lockDurationMs: number(env, "CRISP_LOCK_MS"),
    limiter: smoothLimiter(number(env, "CRISP_RATE_LIMIT") ?? 10),
  };
}

/**
 * BullMQ's limiter for `perSecond` jobs a second in windows of about 100 ms. A fixed window lets up to twice its
 * `max` through across a boundary (a full window's worth at its end, another at the next one's start): short
 * windows keep that burst small, where one-second windows can double the rate for an instant and draw 429s.
 */
export function smoothLimiter(perSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(perSecond / 10));
  return { max, duration: Math.round((max * 1000) / perSecond) };
}

function number(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new CrispDataError([{ key: name, code: "invalid_value" }], `[crisp-data] ${name} must be a positive number.`);
  }
  return value;
}
