/** How fast a route may go, learned from its answers. */
interface RouteState {
  /** Milliseconds between request starts; 0 = unpaced. */
  interval: number;
  /** When the last request of this route was let through. */
  lastStart: number;
  /** A `Retry-After` (already capped by the caller) holds the route until then. */
  pausedUntil: number;
  /** Times of the successes of the last `WINDOW_MS` (at least `SAMPLE`), to estimate the rate the API accepts. */
  successes: number[];
  /**
   * First success of the route. For its first `WINDOW_MS` only the last `SAMPLE` successes count: that second
   * includes the burst a token bucket grants when it starts full, which is not its rate.
   */
  firstSuccessAt: number;
  /** Last rate limit, and successes since: a route that stopped refusing speeds up fast. */
  lastLimitAt: number;
  streak: number;
  /** First rate limit since the last success (NaN when the last answer was a success), and the interval then. */
  refusedSince: number;
  intervalBefore: number;
  /** Requests waiting for their start, in order; at most one per lane. */
  waiters: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Waiter {
  readonly since: number;
  grant(waited: number): void;
}

export interface PacerOptions {
  /** Clock, for tests. */
  now?: () => number;
}

/** Interval after a first rate limit with fewer than two successes to measure a rate from. */
const FALLBACK_INTERVAL_MS = 50;
/**
 * The slowest a route is ever paced. Without a ceiling, permanent 429s without `Retry-After` grew the interval
 * by half each time, to gaps of 44 s. Beyond this, refusals cost a retry each rather than minutes of idling.
 */
export const MAX_INTERVAL_MS = 1_000;
/** Each rate limit lengthens the interval this much, up to the measured accepted rate. */
const SLOW_DOWN = 1.5;
/**
 * The accepted rate is measured over the last second, and over at least this many successes (so a slow route
 * still measures). Over the last 20 successes alone it was a ratchet: stray refusals slowed the route, its
 * successes came slower, the measure allowed a slower pace, and a busy node's refusals held the route at a
 * quarter of its speed for seconds. Over a second the measure moves too slowly for a cluster of refusals to
 * drag the pace down; at a real limit it is the limit (after the route's first second: see `firstSuccessAt`).
 */
const SAMPLE = 20;
const WINDOW_MS = 1_000;
/** Successes kept at most: enough to measure, and bounded (above 256 a second the window is shorter). */
const KEPT = 256;
/**
 * Each success shortens the interval this much: probe back up towards the real limit. Strong enough that 1 rate
 * limit per 7 successes (what 30% random faults give) does not ratchet the pace down; at a real limit it settles
 * with roughly one request in seven refused.
 */
const SPEED_UP = 0.93;
/**
 * Once a route has gone `QUIET_MS` and `QUIET_STREAK` successes without a rate limit, each success halves the
 * interval: the API has recovered, so full speed comes back within a few seconds (1 s → 0 in about 2 s after the
 * first successes), not after a hundred cautious steps at one request a second. At a real limit, refusals arrive
 * far more often than every half second and the gentle step rules; stray refusals only delay the halving.
 */
const QUIET_MS = 500;
const QUIET_STREAK = 2;
const RECOVER = 0.5;
/**
 * Refused without a single success for this long: not our pace (a route at a real limit still gets one request
 * through per refill, and the pacer is near that pace), but an outage or a burst of refusals for everyone. The
 * interval climbed for nothing, so the first success restores the pace from before the refusals began: the
 * route is back at full speed as soon as the API is, instead of climbing down from a second per request while
 * stray refusals keep resetting the climb (a 10 s burst of 429s once cost 4 s more at 1 request/s).
 */
const OUTAGE_MS = 1_000;

/** Thrown by `acquire` when the route cannot start this request within the caller's budget. */
export const OVER_BUDGET: unique symbol = Symbol("over budget");

/**
 * Adaptive pacing per route. Crisp documents no rate-limit headers and says its limits are dynamic, so the only
 * signal is a 429/420 itself. Unpaced at first; each rate limit lengthens the route's interval by half (never past
 * the rate the API was just accepting, so we do not undershoot a real limit, and never past `MAX_INTERVAL_MS`)
 * and each success shortens it. Steps are multiplicative, so a few stray rate limits (a busy node, not our rate)
 * are forgotten within a few dozen successes. Refusals that go on for a second with no success at all are an
 * outage, not our pace: the first success after one restores the interval from before it. Waiters are let
 * through one at a time at the interval of the moment, so a route that speeds up does not keep honouring starts
 * booked at the slow pace.
 *
 * @example
 * const pacer = createPacer();
 * const waited = await pacer.acquire("PATCH people/data", 60_000); // resolves when a request may start
 */
export interface Pacer {
  /**
   * Resolves with the milliseconds waited once a request of `route` may start. Rejects with `OVER_BUDGET` once it
   * is clear it cannot start within `budgetMs`, or with the signal's reason when it aborts.
   */
  acquire(route: string, budgetMs: number, signal?: AbortSignal): Promise<number>;
  onSuccess(route: string): void;
  /** `pauseMs`: a `Retry-After` the caller accepted (already within its budget). */
  onRateLimit(route: string, pauseMs?: number): void;
  /** Current spacing of a route in ms (0 = unpaced); for tests and benchmarks. */
  interval(route: string): number;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const now = options.now ?? Date.now;
  const routes = new Map<string, RouteState>();

  function state(route: string): RouteState {
    let s = routes.get(route);
    if (!s) {
      s = {
        interval: 0,
        lastStart: Number.NEGATIVE_INFINITY,
        pausedUntil: 0,
        successes: [],
        firstSuccessAt: Number.NaN,
        lastLimitAt: Number.NEGATIVE_INFINITY,
        streak: 0,
        refusedSince: Number.NaN,
        intervalBefore: 0,
        waiters: [],
        timer: undefined,
      };
      routes.set(route, s);
    }
    return s;
  }

  const earliest = (s: RouteState) => Math.max(s.lastStart + s.interval, s.pausedUntil);

  /** Lets through every waiter whose time has come, then sleeps until the next one's. */
  function pump(s: RouteState): void {
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = undefined;
    while (s.waiters.length > 0) {
      const t = now();
      const at = earliest(s);
      if (at > t) {
        s.timer = setTimeout(() => pump(s), Math.ceil(at - t));
        return;
      }
      const waiter = s.waiters.shift() as Waiter;
      s.lastStart = t;
      waiter.grant(t - waiter.since);
    }
  }

  return {
    acquire(route, budgetMs, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const s = state(route);
      const t = now();
      if (s.waiters.length === 0 && earliest(s) <= t) {
        s.lastStart = t;
        return Promise.resolve(0);
      }
      // Known already: even with nobody ahead, the route's pause outlasts the budget.
      if (earliest(s) - t > budgetMs) return Promise.reject(OVER_BUDGET);
      return new Promise<number>((resolve, reject) => {
        const leave = () => {
          clearTimeout(deadline);
          signal?.removeEventListener("abort", onAbort);
          const index = s.waiters.indexOf(waiter);
          if (index >= 0) s.waiters.splice(index, 1);
        };
        const onAbort = () => {
          leave();
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          since: t,
          grant(waited) {
            leave();
            resolve(waited);
          },
        };
        const deadline = setTimeout(() => {
          leave();
          reject(OVER_BUDGET);
        }, budgetMs);
        signal?.addEventListener("abort", onAbort, { once: true });
        s.waiters.push(waiter);
        if (s.waiters.length === 1) pump(s);
      });
    },
    onSuccess(route) {
      const s = state(route);
      const t = now();
      s.successes.push(t);
      if (Number.isNaN(s.firstSuccessAt)) s.firstSuccessAt = t;
      while (s.successes.length > SAMPLE && (t - (s.successes[0] ?? t) > WINDOW_MS || s.successes.length > KEPT))
        s.successes.shift();
      s.streak++;
      if (t - s.refusedSince >= OUTAGE_MS) s.interval = Math.min(s.interval, s.intervalBefore);
      s.refusedSince = Number.NaN;
      if (s.interval > 0) {
        const quiet = s.streak >= QUIET_STREAK && t - s.lastLimitAt >= QUIET_MS;
        s.interval *= quiet ? RECOVER : SPEED_UP;
        if (s.interval < 0.5) s.interval = 0;
      }
      if (s.waiters.length > 0) pump(s);
    },
    onRateLimit(route, pauseMs) {
      const s = state(route);
      const t = now();
      s.lastLimitAt = t;
      s.streak = 0;
      if (Number.isNaN(s.refusedSince)) {
        s.refusedSince = t;
        s.intervalBefore = s.interval;
      }
      const windowed = t - s.firstSuccessAt >= WINDOW_MS;
      const counted = windowed ? s.successes.length : Math.min(s.successes.length, SAMPLE);
      const oldest = s.successes[s.successes.length - counted];
      let next = s.interval > 0 ? s.interval * SLOW_DOWN : FALLBACK_INTERVAL_MS;
      if (oldest !== undefined && counted >= 2) {
        // Never pace slower than the rate the API was just accepting: right at a real limit that is the limit.
        // When our own demand was low the measure is slow, and the modest step above wins instead.
        const measured = (t - oldest) / counted;
        next = Math.min(next, Math.max(s.interval, measured));
      }
      s.interval = Math.min(MAX_INTERVAL_MS, Math.max(s.interval, next));
      if (pauseMs !== undefined) s.pausedUntil = Math.max(s.pausedUntil, t + pauseMs);
      if (s.waiters.length > 0) pump(s);
    },
    interval(route) {
      return routes.get(route)?.interval ?? 0;
    },
  };
}
