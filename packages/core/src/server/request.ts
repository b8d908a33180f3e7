import { CrispApiError, CrispTimeoutError } from "./errors";
import type { Pacer } from "./pacer";
import { backoffDelay, isRateLimit, isRetryableStatus, parseRetryAfter, type ResolvedRetry, sleep } from "./retry";

/** Counters for the current flush window; `requests` counts every HTTP attempt, `retries` every repeat. */
export interface RequestCounters {
  requests: number;
  retries: number;
}

export interface RequesterOptions {
  fetch: typeof fetch;
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retry: ResolvedRetry;
  pacer: Pacer;
  counters: RequestCounters;
  random?: () => number;
  now?: () => number;
}

export type HttpMethod = "GET" | "PATCH" | "PUT";

/** One logical REST call: `route` names its pacing bucket (method + path template, without ids). */
export interface RestCall {
  method: HttpMethod;
  route: string;
  path: string;
  body?: unknown;
  /** The caller already waited for this route's first slot (it needed the wait to coalesce more calls). */
  paced?: boolean;
}

export type Requester = (call: RestCall) => Promise<unknown>;

interface Envelope {
  error?: boolean;
  reason?: string;
  data?: unknown;
}

/**
 * Sends one call with pacing, a timeout, and retries: rate limits wait (bounded by `maxWaitMs`, not by the
 * `retries` budget), 5xx/timeouts/connection errors use the budget, other 4xx fail at once. `Retry-After` is
 * honoured on rate limits and 5xx alike. Resolves with the envelope's `data`.
 */
export function createRequester(options: RequesterOptions): Requester {
  const { fetch: fetchImpl, baseUrl, headers, timeoutMs, retry, pacer, counters } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  return async function request(call) {
    const url = new URL(call.path, baseUrl).toString();
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    let attempt = 0;
    let rateLimitedSince: number | undefined;
    let paced = call.paced === true;
    let rateAttempt = 0;
    for (;;) {
      if (!paced) await pacer.acquire(call.route);
      paced = false;
      counters.requests++;
      let status: number;
      let envelope: Envelope | undefined;
      let retryAfter: string | null = null;
      try {
        ({ status, envelope, retryAfter } = await send(fetchImpl, url, call.method, headers, body, timeoutMs));
      } catch (error) {
        if (attempt >= retry.retries) throw error;
        counters.retries++;
        await sleep(backoffDelay(attempt++, retry, random));
        continue;
      }
      if (status >= 200 && status < 300 && envelope?.error !== true) {
        pacer.onSuccess(call.route);
        return envelope?.data;
      }
      const reason = typeof envelope?.reason === "string" ? envelope.reason : `http_${status}`;
      if (isRateLimit(status)) {
        const t = now();
        rateLimitedSince ??= t;
        const hinted = parseRetryAfter(retryAfter, t);
        pacer.onRateLimit(call.route, hinted);
        const delay = hinted ?? backoffDelay(rateAttempt++, retry, random);
        if (t - rateLimitedSince + delay > retry.maxWaitMs) throw new CrispApiError(429, "rate_limited", reason);
        counters.retries++;
        await sleep(delay);
        continue;
      }
      if (isRetryableStatus(status) && attempt < retry.retries) {
        // A 503 may say when to come back: wait that long (a server asking for longer than we may wait fails now).
        const hinted = parseRetryAfter(retryAfter, now());
        if (hinted !== undefined && hinted > retry.maxWaitMs) throw new CrispApiError(status, reason);
        counters.retries++;
        await sleep(hinted ?? backoffDelay(attempt, retry, random));
        attempt++;
        continue;
      }
      throw new CrispApiError(status, reason);
    }
  };
}

async function send(
  fetchImpl: typeof fetch,
  url: string,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; envelope: Envelope | undefined; retryAfter: string | null }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CrispTimeoutError(timeoutMs, url)), timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "Content-Type": "application/json" },
      body,
      signal: controller.signal,
    });
    // Reading the body stays under the timeout: a server can stall after the headers too.
    const text = await response.text();
    return { status: response.status, envelope: parseEnvelope(text), retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    if (controller.signal.aborted) throw new CrispTimeoutError(timeoutMs, url);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function parseEnvelope(text: string): Envelope | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Envelope) : undefined;
  } catch {
    // A proxy's HTML error page: the status alone decides.
    return undefined;
  }
}
