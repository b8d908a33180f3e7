import { sleep } from "./retry";

/** How fast a route may go, learned from its answers. */
interface RouteState {
  /** Milliseconds between request starts; 0 = unpaced. */
  interval: number;
  /** Earliest start of the next request. */
  nextAt: number;
  /** Times of the last successes (at most `SAMPLE`), to estimate the rate the API actually accepts. */
  successes: number[];
}

export interface PacerOptions {
  /** Clock, for tests. */
  now?: () => number;
}

/** Interval after a first rate limit with fewer than two successes to measure a rate from. */
const FALLBACK_INTERVAL_MS = 50;
/** Each rate limit lengthens the interval this much, up to the measured accepted rate. */
const SLOW_DOWN = 1.5;
/** Successes the accepted rate is measured over (a count, not a time window, so a slow route still measures). */
const SAMPLE = 20;
/**
 * Each success shortens the interval this much: probe back up towards the real limit. Strong enough that 1 rate
 * limit per 7 successes (what 30% random faults give) does not ratchet the pace down; at a real limit it settles
 * with roughly one request in seven refused.
 */
const SPEED_UP = 0.93;

/**
 * Adaptive pacing per route. Crisp documents no rate-limit headers and says its limits are dynamic, so the only
 * signal is a 429/420 itself. Unpaced at first; each rate limit lengthens the route's interval by half (never past
 * the rate the API was just accepting, so we do not undershoot a real limit) and each success shortens it by 7%.
 * Steps are multiplicative, so a few stray rate limits (a busy node, not our rate) are forgotten within a few
 * dozen successes. Retry-After, when sent, pauses the route.
 *
 * @example
 * const pacer = createPacer();
 * await pacer.acquire("PATCH people/data"); // resolves when a request may start
 */
export interface Pacer {
  acquire(route: string): Promise<void>;
  onSuccess(route: string): void;
  onRateLimit(route: string, retryAfterMs?: number): void;
  /** Current spacing of a route in ms (0 = unpaced); for tests and benchmarks. */
  interval(route: string): number;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const now = options.now ?? Date.now;
  const routes = new Map<string, RouteState>();

  function state(route: string): RouteState {
    let s = routes.get(route);
    if (!s) {
      s = { interval: 0, nextAt: 0, successes: [] };
      routes.set(route, s);
    }
    return s;
  }

  return {
    acquire(route) {
      const s = state(route);
      const t = now();
      // Reserve the slot now so concurrent callers queue behind each other instead of starting together.
      // A reservation is kept even if a rate limit arrives meanwhile: re-queueing every waiter on each rate
      // limit starves them when rate limits come often (at most `concurrency` requests hold a reservation).
      const start = Math.max(t, s.nextAt);
      s.nextAt = start + s.interval;
      return sleep(start - t);
    },
    onSuccess(route) {
      const s = state(route);
      const t = now();
      s.successes.push(t);
      if (s.successes.length > SAMPLE) s.successes.shift();
      if (s.interval > 0) {
        s.interval *= SPEED_UP;
        if (s.interval < 0.5) s.interval = 0;
      }
    },
    onRateLimit(route, retryAfterMs) {
      const s = state(route);
      const t = now();
      const oldest = s.successes[0];
      let next = s.interval > 0 ? s.interval * SLOW_DOWN : FALLBACK_INTERVAL_MS;
      if (oldest !== undefined && s.successes.length >= 2) {
        // Never pace slower than the rate the API was just accepting: right at a real limit that is the limit.
        // When our own demand was low the measure is slow, and the modest step above wins instead.
        const measured = (t - oldest) / s.successes.length;
        next = Math.min(next, Math.max(s.interval, measured));
      }
      s.interval = Math.max(s.interval, next);
      s.nextAt = Math.max(s.nextAt, t + s.interval, retryAfterMs === undefined ? 0 : t + retryAfterMs);
    },
    interval(route) {
      return routes.get(route)?.interval ?? 0;
    },
  };
}
