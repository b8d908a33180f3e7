/** Retry settings; every field optional. See `createCrispRestClient`. */
export interface RetryOptions {
  /** Retries after a 5xx, a timeout or a connection error (default 4). Rate limits do not use this budget. */
  retries?: number;
  /** First backoff ceiling (default 250 ms); doubles per attempt. */
  minDelayMs?: number;
  /** Backoff ceiling (default 10,000 ms). */
  maxDelayMs?: number;
  /**
   * Longest total wait on rate limits (429/420) for one request before it fails as `rate_limited` (default
   * 60,000 ms). A 5xx whose `Retry-After` asks for longer than this fails at once.
   */
  maxWaitMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  return {
    retries: options?.retries ?? 4,
    minDelayMs: options?.minDelayMs ?? 250,
    maxDelayMs: options?.maxDelayMs ?? 10_000,
    maxWaitMs: options?.maxWaitMs ?? 60_000,
  };
}

/**
 * Exponential backoff with full jitter (a uniform draw below the doubled ceiling): spreads retries of many
 * clients apart instead of having them come back in lockstep.
 */
export function backoffDelay(attempt: number, retry: ResolvedRetry, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in milliseconds (delta-seconds or an HTTP date), or `undefined` when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header == null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
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

export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
