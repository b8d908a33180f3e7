import { CrispDataError } from "@crisp-data/core";
import { readCapped } from "./body";
import { CrispApiError, CrispTimeoutError } from "./errors";
import type { Lanes } from "./lanes";
import { MAX_INTERVAL_MS, OVER_BUDGET, type Pacer } from "./pacer";
import { backoffDelay, isRateLimit, isRetryableStatus, parseRetryAfter, type ResolvedRetry, sleep } from "./retry";
import { type CrispTarget, describeTarget } from "./targets";

/** Counters for the current flush window; `requests` counts every HTTP attempt, `retries` every repeat. */
export interface RequestCounters {
  requests: number;
  retries: number;
}

export interface RequesterOptions {
  fetch: typeof fetch;
  baseUrl: string;
  /** Auth headers, resolved at the first request; throws `CrispDataError` when credentials are missing. */
  headers: () => Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  retry: ResolvedRetry;
  pacer: Pacer;
  lanes: Lanes;
  counters: RequestCounters;
  random?: () => number;
  now?: () => number;
}

export type HttpMethod = "GET" | "PATCH" | "PUT" | "POST";

/**
 * What a 2xx must carry to count: `meta` (a conversation meta object in `data`, its custom data in `data.data`
 * when present), `people` (the map in `data.data`), `write` (only `error: false`: update answers may carry no
 * `data`). Anything else is `invalid_response`: a write is never built from a guessed map.
 */
export type Expect = "meta" | "people" | "write";

/** One logical REST call: `route` names its pacing bucket (method + path template, without ids). */
export interface RestCall {
  method: HttpMethod;
  route: string;
  path: string;
  body?: unknown;
  expect: Expect;
  target?: CrispTarget;
  /** Aborts the call wherever it is: waiting for a lane or the pacer, in flight, or sleeping before a retry. */
  signal?: AbortSignal;
}

/** A lane held and a pacing slot granted, obtained before the first request of a write is built. */
export interface Slot {
  readonly route: string;
  readonly waited: number;
  release(): void;
}

export interface Requester {
  /**
   * Waits for a lane (unless `lane` is one already held), then for `route`'s pacing; `priority` for work already
   * started. On failure the lane is released.
   */
  slot(
    route: string,
    options: { signal?: AbortSignal; priority: boolean; budgetMs: number; target?: CrispTarget; lane?: () => void },
  ): Promise<Slot>;
  /** Sends a call with retries; the first attempt may use a `held` slot. Resolves with the map a read returns. */
  request(call: RestCall, held?: Slot): Promise<Record<string, unknown> | undefined>;
}

interface Envelope {
  error?: unknown;
  reason?: unknown;
  data?: unknown;
}

const INVALID: unique symbol = Symbol("invalid");

/**
 * Sends one call with pacing, a timeout, a body cap and retries. Rate limits wait (their backoff, `Retry-After`
 * and the pacing they cause are charged to `maxWaitMs`, not to `retries`); 5xx, unreadable 2xx, timeouts and
 * connection errors use the `retries` budget; other 4xx and 3xx fail at once. No lane is held while sleeping.
 */
export function createRequester(options: RequesterOptions): Requester {
  const { fetch: fetchImpl, baseUrl, timeoutMs, maxResponseBytes, retry, pacer, lanes, counters } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const rateRetry = { ...retry, maxDelayMs: Math.min(retry.maxDelayMs, MAX_INTERVAL_MS) };
  // Successes of any call so far. Backoff grows to spare an API that is failing; one that answers other calls
  // meanwhile is not, so a stray 5xx, timeout or reset costs the first step again instead of a doubled one (30%
  // random faults once left a single write asleep for 4 s after every other write was done).
  let answered = 0;

  function rateLimited(detail: string, target: CrispTarget | undefined): CrispApiError {
    return new CrispApiError(429, "rate_limited", detail, target);
  }

  async function pace(route: string, budgetMs: number, signal: AbortSignal | undefined, target?: CrispTarget) {
    try {
      return await pacer.acquire(route, Math.max(0, budgetMs), signal);
    } catch (error) {
      if (error === OVER_BUDGET) throw rateLimited("paced past retry.maxWaitMs", target);
      throw error;
    }
  }

  async function slot(
    route: string,
    options: { signal?: AbortSignal; priority: boolean; budgetMs: number; target?: CrispTarget; lane?: () => void },
  ): Promise<Slot> {
    const release = options.lane ?? (await lanes.acquire({ priority: options.priority, signal: options.signal }));
    try {
      const waited = await pace(route, options.budgetMs, options.signal, options.target);
      return { route, waited, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  async function request(call: RestCall, held?: Slot): Promise<Record<string, unknown> | undefined> {
    const { signal, target } = call;
    const url = new URL(call.path, baseUrl).toString();
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const what = `${call.route}${target ? ` for ${describeTarget(target)}` : ""}`;
    let attempt = 0;
    /** Failures in a row of this call with no success of any call in between: the backoff exponent. */
    let step = 0;
    let answeredAtFailure = -1;
    let rateAttempt = 0;
    // Time charged to `maxWaitMs`: pacing and rate-limit waits of this call.
    let waited = 0;
    let next = held;
    held = undefined;

    /** Sleeps before the next attempt (no lane held), or rethrows `error` once the retries budget is spent. */
    async function backoff(error: unknown, hintedMs?: number): Promise<void> {
      if (attempt >= retry.retries) throw error;
      counters.retries++;
      if (answered !== answeredAtFailure) step = 0;
      answeredAtFailure = answered;
      await sleep(hintedMs ?? backoffDelay(step, retry, random), signal);
      step++;
      attempt++;
    }

    for (;;) {
      let current =
        next ?? (await slot(call.route, { signal, priority: true, budgetMs: retry.maxWaitMs - waited, target }));
      next = undefined;
      let result: Awaited<ReturnType<typeof send>>;
      try {
        waited += current.waited;
        if (current.route !== call.route) {
          waited += await pace(call.route, retry.maxWaitMs - waited, signal, target);
          current = { ...current, route: call.route };
        }
        const headers = options.headers();
        counters.requests++;
        result = await send(url, call.method, headers, body, signal, what);
      } catch (error) {
        current.release();
        if (signal?.aborted) throw signal.reason;
        // Missing credentials, an exhausted rate budget: retrying changes nothing.
        if (error instanceof CrispDataError) throw error;
        await backoff(error);
        continue;
      }
      current.release();

      const { status, retryAfter } = result;
      const envelope = result.tooLarge ? undefined : parseEnvelope(result.text);
      if (status >= 200 && status < 300) {
        const data = result.tooLarge ? INVALID : readAnswer(envelope, call.expect);
        if (data !== INVALID) {
          answered++;
          pacer.onSuccess(call.route);
          return data;
        }
        // A proxy's HTML page, a truncated body, an envelope without the object the route returns: transient.
        const reason = result.tooLarge ? "response_too_large" : "invalid_response";
        const detail = result.tooLarge
          ? `body over maxResponseBytes (${maxResponseBytes})`
          : "not a Crisp envelope with the expected data";
        await backoff(new CrispApiError(status, reason, detail, target));
        continue;
      }

      const reason = typeof envelope?.reason === "string" ? envelope.reason : `http_${status}`;
      if (isRateLimit(status)) {
        const hinted = parseRetryAfter(retryAfter, now());
        const left = retry.maxWaitMs - waited;
        if (hinted !== undefined && hinted > left) {
          // Beyond what this write may wait: fail it now, and do not let it hold the route for everyone else.
          pacer.onRateLimit(call.route);
          throw rateLimited(`Retry-After ${Math.ceil(hinted / 1000)} s is beyond retry.maxWaitMs`, target);
        }
        pacer.onRateLimit(call.route, hinted);
        // Without a hint, a short jittered pause: the pacer does the spacing, and a long backoff here would keep
        // writes asleep for seconds after the API recovered (a 10 s burst once made 20 writes take 175 s).
        const delay = hinted ?? backoffDelay(rateAttempt++, rateRetry, random);
        if (delay > left) throw rateLimited(`still refused after ${Math.round(waited)} ms (${reason})`, target);
        waited += delay;
        counters.retries++;
        await sleep(delay, signal);
        continue;
      }
      if (isRetryableStatus(status) && attempt < retry.retries) {
        // A 503 may say when to come back: wait that long (a server asking for longer than we may wait fails now).
        const hinted = parseRetryAfter(retryAfter, now());
        if (hinted !== undefined && hinted > retry.maxWaitMs)
          throw new CrispApiError(status, reason, undefined, target);
        await backoff(undefined, hinted);
        continue;
      }
      throw new CrispApiError(status, reason, undefined, target);
    }
  }

  async function send(
    url: string,
    method: HttpMethod,
    auth: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    what: string,
  ) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const headers: Record<string, string> = { ...auth, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    try {
      const work = (async () => {
        const response = await fetchImpl(url, {
          method,
          headers,
          body,
          signal: controller.signal,
          // A write that is redirected fails: replaying it elsewhere (or as a GET) is not what was asked.
          redirect: method === "GET" ? "follow" : "manual",
        });
        // Reading the body stays under the timeout: a server can stall after the headers too.
        const read = await readCapped(response, maxResponseBytes);
        return { status: response.status, retryAfter: response.headers.get("retry-after"), ...read };
      })();
      // Settle on abort even if an injected fetch ignores its signal.
      return await untilAborted(work, controller.signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (controller.signal.aborted) throw new CrispTimeoutError(timeoutMs, what);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  return { slot, request };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function parseEnvelope(text: string): Envelope | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? (parsed as Envelope) : undefined;
  } catch {
    // A proxy's HTML page or a truncated body: the status decides for errors, a 2xx is invalid.
    return undefined;
  }
}

function readAnswer(
  envelope: Envelope | undefined,
  expect: Expect,
): Record<string, unknown> | undefined | typeof INVALID {
  if (envelope?.error !== false) return INVALID;
  if (expect === "write") return undefined;
  const data = envelope.data;
  if (!isObject(data)) return INVALID;
  const inner = data.data;
  // A conversation without custom data may come back without `data.data`; a person's data always carries it.
  if (expect === "meta" && inner === undefined) return {};
  return isObject(inner) ? inner : INVALID;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
