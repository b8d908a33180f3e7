import { checkNumber } from "./options";

/** Retry settings; every field optional. See `createCrispRestClient`. */
export interface RetryOptions {
  /**
   * Retries after a 5xx, an unreadable answer, a timeout or a connection error (default 4). Rate limits do not
   * use this budget.
   */
  retries?: number;
  /**
   * First backoff ceiling (default 250 ms). It doubles with each failure of a request in a row while no other
   * request succeeds, and starts over when one does (a stray failure, not a failing API).
   */
  minDelayMs?: number;
  /** Backoff ceiling (default 10,000 ms). */
  maxDelayMs?: number;
  /**
   * Longest total wait for one request on rate limits (429/420 backoff, `Retry-After`) and on the pacing they
   * cause, before it fails as `rate_limited` (default 60,000 ms). A `Retry-After` beyond what is left fails that
   * request at once and does not pause the route; a 5xx whose `Retry-After` asks for longer fails at once too.
   */
  maxWaitMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  const retry: ResolvedRetry = {
    retries: checkNumber(options?.retries, 4, "retry.retries", { integer: true, min: 0, max: 1000 }),
    minDelayMs: checkNumber(options?.minDelayMs, 250, "retry.minDelayMs", { min: 0 }),
    maxDelayMs: checkNumber(options?.maxDelayMs, 10_000, "retry.maxDelayMs", { min: 0 }),
    maxWaitMs: checkNumber(options?.maxWaitMs, 60_000, "retry.maxWaitMs", { min: 0 }),
  };
  return retry;
}

/**
 * Exponential backoff with full jitter (a uniform draw below the doubled ceiling): spreads retries of many
 * clients apart instead of having them come back in lockstep.
 */
export function backoffDelay(attempt: number, retry: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.min(attempt, 40));
  return Math.floor(random() * ceiling);
}

const DELTA_SECONDS = /^\d+$/;
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must still accept.
const HTTP_DATE = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date only, `undefined` for anything else. `Number()`
 * and `Date.parse()` alone would read `1e9`, `0x10`, `-5` or `"1"` (the year 2001) as a wait.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (DELTA_SECONDS.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.some((form) => form.test(value))) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Crisp answers a rate limit with 429 or 420 ("Enhance Your Calm"): a wait, not a failure. */
export function isRateLimit(status: number): boolean {
  return status === 429 || status === 420;
}

/** Server errors are retried; every other 4xx (422 included) is a real rejection because we validate first. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
