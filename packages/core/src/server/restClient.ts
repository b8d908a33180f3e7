import {
  type CheckedInput,
  CrispDataError,
  type CrispDataInput,
  type CrispDataValue,
  validateInputStrict,
} from "@crisp-data/core";
import type { CrispApiError } from "./errors";
import { createLanes } from "./lanes";
import { createPacer, type Pacer } from "./pacer";
import { createTargetQueue, type PendingEntry, type WriteJob } from "./queue";
import { createRequester, type RequestCounters, type RestCall } from "./request";
import { type RetryOptions, resolveRetry } from "./retry";
import { applyPatch, type CrispTarget, dataOf, hasDeletes, setKeys, targetKey } from "./targets";

/** Which Crisp token you hold: Marketplace plugin tokens (default), a user token or a website token. */
export type CrispTier = "plugin" | "user" | "website";

/** Options of `createCrispRestClient`. Only `identifier` and `key` are required. */
export interface CrispRestClientOptions {
  /** Token identifier (the user part of Basic auth). */
  identifier: string;
  /** Token key (the password part of Basic auth). Keep it on the server. */
  key: string;
  /** Sent as `X-Crisp-Tier` (default `"plugin"`). */
  tier?: CrispTier;
  /** API root (default `https://api.crisp.chat/v1/`); point it at the emulator in tests. */
  baseUrl?: string;
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Requests under way at once, across all targets (default 4). */
  concurrency?: number;
  /** Backoff and rate-limit waiting; see `RetryOptions`. */
  retry?: RetryOptions;
  /** Per-attempt timeout, body included (default 10,000 ms); a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Called once per write that failed for good (its promise rejects too, and it is in the next report). */
  onError?: (error: CrispApiError | Error, target: CrispTarget) => void;
}

/** One write that failed for good. */
export interface SyncFailure {
  readonly target: CrispTarget;
  /** A `CrispApiError`, or the network/timeout error of the last attempt. */
  readonly error: CrispApiError | Error;
}

/** What happened since the previous `flush()`. */
export interface SyncReport {
  /** HTTP attempts made, retries included. */
  readonly requests: number;
  /** Attempts that repeated an earlier one (rate limits, 5xx, timeouts, connection errors). */
  readonly retries: number;
  readonly failures: readonly SyncFailure[];
}

/** The server-side REST client; see `createCrispRestClient`. */
export interface CrispRestClient {
  /**
   * Merge `data` into a conversation's custom data (`null`, `undefined` and `""` delete a key). Calls for one
   * conversation made before its request starts become one read (GET meta) and one write (PATCH meta).
   * Resolves once written; rejects (handled, so it may be ignored) once failed for good.
   * @throws CrispDataError synchronously for an invalid key, value or id; nothing is sent.
   * @example
   * crisp.setSessionData(websiteId, sessionId, { order_id: 353, coupon: null }); // sets order_id, deletes coupon
   */
  setSessionData<T extends CrispDataInput>(websiteId: string, sessionId: string, data: CheckedInput<T>): Promise<void>;
  /**
   * Merge `data` into a contact's data: PATCH when only setting keys, GET then PUT of the full map when a key
   * is deleted. `peopleId` may be an email; it is URL-encoded.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await crisp.setContactData(websiteId, "ada@example.com", { plan: "pro", trial_ends: null });
   */
  setContactData<T extends CrispDataInput>(websiteId: string, peopleId: string, data: CheckedInput<T>): Promise<void>;
  /**
   * Replace a contact's whole data map (PUT); `{}` clears it.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await crisp.replaceContactData(websiteId, peopleId, {}); // clear every key
   */
  replaceContactData<T extends CrispDataInput>(
    websiteId: string,
    peopleId: string,
    data: CheckedInput<T>,
  ): Promise<void>;
  /**
   * Read a conversation's custom data. Does not wait for queued writes.
   * @example
   * const { plan } = await crisp.getSessionData(websiteId, sessionId);
   */
  getSessionData(websiteId: string, sessionId: string): Promise<Record<string, CrispDataValue>>;
  /**
   * Read a contact's data. Does not wait for queued writes.
   * @example
   * const data = await crisp.getContactData(websiteId, "ada@example.com");
   */
  getContactData(websiteId: string, peopleId: string): Promise<Record<string, CrispDataValue>>;
  /**
   * Resolve when every queued write is done or failed for good, with the report since the previous flush.
   * @example
   * const { requests, retries, failures } = await crisp.flush();
   */
  flush(): Promise<SyncReport>;
  /**
   * Resolve once fewer than `maxPending` targets (default `concurrency * 4`) have writes pending: await it in a
   * backfill loop so memory stays bounded.
   * @example
   * for (const user of users) {
   *   await crisp.whenCapacity();
   *   crisp.setContactData(websiteId, user.email, { plan: user.plan });
   * }
   */
  whenCapacity(maxPending?: number): Promise<void>;
  /** Targets with a write queued or under way: one entry per target, however many calls. */
  readonly pending: number;
}

const SESSION_GET = "GET conversation/meta";
const SESSION_PATCH = "PATCH conversation/meta";
const CONTACT_GET = "GET people/data";
const CONTACT_PATCH = "PATCH people/data";
const CONTACT_PUT = "PUT people/data";

/**
 * Create the server-only REST client for Crisp custom data: validation shared with the browser, coalescing
 * per target, retries with backoff and jitter, adaptive pacing on rate limits and a concurrency cap.
 *
 * @example
 * import { createCrispRestClient } from "@crisp-data/core/server";
 * const crisp = createCrispRestClient({ identifier: process.env.CRISP_ID!, key: process.env.CRISP_KEY! });
 * crisp.setContactData(websiteId, "ada@example.com", { plan: "pro", seats: 5 }); // fire and forget
 * const report = await crisp.flush(); // { requests, retries, failures }
 */
export function createCrispRestClient(options: CrispRestClientOptions): CrispRestClient {
  if (
    !options ||
    typeof options.identifier !== "string" ||
    !options.identifier ||
    typeof options.key !== "string" ||
    !options.key
  ) {
    throw new CrispDataError(
      [{ key: "", code: "invalid_value" }],
      "[crisp-data] createCrispRestClient needs a token identifier and key.",
    );
  }
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const baseUrl = withSlash(options.baseUrl ?? "https://api.crisp.chat/v1/");
  const counters: RequestCounters = { requests: 0, retries: 0 };
  let failures: SyncFailure[] = [];
  const pacer: Pacer = createPacer();
  const request = createRequester({
    fetch: fetchImpl,
    baseUrl,
    headers: {
      // btoa rather than Buffer: also available in edge runtimes. Token ids and keys are ASCII.
      Authorization: `Basic ${btoa(`${options.identifier}:${options.key}`)}`,
      "X-Crisp-Tier": options.tier ?? "plugin",
      Accept: "application/json",
    },
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: resolveRetry(options.retry),
    pacer,
    counters,
  });
  const lanes = createLanes(concurrency);
  const queue = createTargetQueue<CrispTarget>(lanes, write);

  async function write(job: WriteJob<CrispTarget>): Promise<void> {
    const { target } = job;
    const first = firstCall(target, job.peek());
    // Wait for the first slot before taking the entry, so calls made meanwhile still join this write.
    await pacer.acquire(first.route);
    const entry = job.take();
    // Nothing to set or delete: no request. A contact PATCH of `{"data":{}}` is the very body Crisp's help
    // gives for clearing a contact's data, so an empty merge must never reach the API.
    if (!entry.replace && entry.patch.size === 0) {
      entry.resolve();
      return;
    }
    try {
      await perform(target, entry, first.route);
      entry.resolve();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      failures.push({ target, error: failure });
      entry.reject(failure);
      try {
        options.onError?.(failure, target);
      } catch {
        // A throwing onError must not stop the queue.
      }
    }
  }

  async function perform(target: CrispTarget, entry: PendingEntry, pacedRoute: string): Promise<void> {
    // Only the first request may skip its pacing wait, and only if it is the route we waited for.
    let paced = true;
    const send = (call: RestCall) => {
      const first = paced && call.route === pacedRoute;
      paced = false;
      return request({ ...call, paced: first });
    };
    if (target.type === "session") {
      const path = sessionPath(target.websiteId, target.sessionId);
      const current = dataOf(await send({ method: "GET", route: SESSION_GET, path }));
      await send({ method: "PATCH", route: SESSION_PATCH, path, body: { data: applyPatch(current, entry.patch) } });
      return;
    }
    const path = contactPath(target.websiteId, target.peopleId);
    if (entry.replace) {
      await send({ method: "PUT", route: CONTACT_PUT, path, body: { data: setKeys(entry.patch) } });
    } else if (!hasDeletes(entry.patch)) {
      await send({ method: "PATCH", route: CONTACT_PATCH, path, body: { data: setKeys(entry.patch) } });
    } else {
      // PATCH cannot delete a key (unverified whether "" would), so read and PUT the full map without it.
      const current = dataOf(await send({ method: "GET", route: CONTACT_GET, path }));
      await send({ method: "PUT", route: CONTACT_PUT, path, body: { data: applyPatch(current, entry.patch) } });
    }
  }

  function enqueue(target: CrispTarget, data: CrispDataInput, replace: boolean): Promise<void> {
    const entries = validateInputStrict(data);
    return queue.enqueue(targetKey(target), target, (entry) => {
      if (replace) {
        entry.replace = true;
        entry.patch.clear();
      }
      for (const [key, value] of entries) entry.patch.set(key, value);
    });
  }

  async function read(path: string, route: string): Promise<Record<string, CrispDataValue>> {
    return lanes.run(async () => applyPatch(dataOf(await request({ method: "GET", route, path })), new Map()));
  }

  return {
    setSessionData(websiteId, sessionId, data) {
      return enqueue(
        { type: "session", websiteId: id(websiteId, "websiteId"), sessionId: id(sessionId, "sessionId") },
        data,
        false,
      );
    },
    setContactData(websiteId, peopleId, data) {
      return enqueue(
        { type: "contact", websiteId: id(websiteId, "websiteId"), peopleId: id(peopleId, "peopleId") },
        data,
        false,
      );
    },
    replaceContactData(websiteId, peopleId, data) {
      return enqueue(
        { type: "contact", websiteId: id(websiteId, "websiteId"), peopleId: id(peopleId, "peopleId") },
        data,
        true,
      );
    },
    getSessionData(websiteId, sessionId) {
      return read(sessionPath(id(websiteId, "websiteId"), id(sessionId, "sessionId")), SESSION_GET);
    },
    getContactData(websiteId, peopleId) {
      return read(contactPath(id(websiteId, "websiteId"), id(peopleId, "peopleId")), CONTACT_GET);
    },
    async flush() {
      await queue.whenIdle();
      const report: SyncReport = { requests: counters.requests, retries: counters.retries, failures };
      counters.requests = 0;
      counters.retries = 0;
      failures = [];
      return report;
    },
    whenCapacity(maxPending = concurrency * 4) {
      return queue.whenBelow(Math.max(1, maxPending));
    },
    get pending() {
      return queue.size;
    },
  };
}

function firstCall(target: CrispTarget, entry: PendingEntry): { route: string } {
  if (target.type === "session") return { route: SESSION_GET };
  if (entry.replace) return { route: CONTACT_PUT };
  return { route: hasDeletes(entry.patch) ? CONTACT_GET : CONTACT_PATCH };
}

function sessionPath(websiteId: string, sessionId: string): string {
  return `website/${encodeURIComponent(websiteId)}/conversation/${encodeURIComponent(sessionId)}/meta`;
}

function contactPath(websiteId: string, peopleId: string): string {
  return `website/${encodeURIComponent(websiteId)}/people/data/${encodeURIComponent(peopleId)}`;
}

function id(value: string, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new CrispDataError([{ key: "", code: "invalid_value" }], `[crisp-data] ${name} must be a non-empty string.`);
  }
  return value;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
