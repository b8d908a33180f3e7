/**
 * Token buckets per credential and route. The burst equals the rate; a rejected request takes no token, so a
 * client that keeps retrying too fast is not locked out for longer than the refill.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    // A rate below 1/s still lets one request through, then refills slowly.
    this.#capacity = Math.max(1, perSecond);
  }

  /** Takes a token for `bucket`; returns 0 when allowed, else the seconds until one is available. */
  take(bucket: string): number {
    const now = this.now();
    const state = this.#buckets.get(bucket) ?? { tokens: this.#capacity, at: now };
    state.tokens = Math.min(this.#capacity, state.tokens + ((now - state.at) / 1000) * this.perSecond);
    state.at = now;
    this.#buckets.set(bucket, state);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return 0;
    }
    return (1 - state.tokens) / this.perSecond;
  }
}
