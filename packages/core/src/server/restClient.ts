import {
  type CheckedInput,
  CrispDataError,
  type CrispDataInput,
  type CrispDataValue,
  validateInputStrict,
} from "@crisp-data/core";
import { CrispAbortError, CrispApiError } from "./errors";
import { createLanes } from "./lanes";
import { type CrispTier, checkNumber, checkTier, resolveCredentials } from "./options";
import { createPacer } from "./pacer";
import { createTargetQueue, type PendingEntry, type WriteJob } from "./queue";
import { createRequester, type RequestCounters, type RestCall, type Slot } from "./request";
import { type RetryOptions, resolveRetry } from "./retry";
import {
  applyPatch,
  type CrispTarget,
  checkNickname,
  contactTarget,
  hasDeletes,
  isEmail,
  sessionTarget,
  setKeys,
  targetKey,
} from "./targets";
import { isUnreachable } from "./unreachable";

export type { CrispTier } from "./options";

/** Options of `createCrispRestClient`; every one is optional. */
export interface CrispRestClientOptions {
  /** Token identifier (the user part of Basic auth). Default: `CRISP_API_IDENTIFIER`, read at the first request. */
  identifier?: string;
  /** Token key (the password part of Basic auth). Default: `CRISP_API_KEY`, read at the first request. */
  key?: string;
  /** Sent as `X-Crisp-Tier`. Default: `CRISP_API_TIER`, else `"plugin"`. */
  tier?: CrispTier;
  /** API root (default `https://api.crisp.chat/v1/`); point it at the emulator in tests. */
  baseUrl?: string;
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Requests under way at once, across all targets (default 4, an integer from 1 to 1,000). */
  concurrency?: number;
  /** Backoff and rate-limit waiting; see `RetryOptions`. */
  retry?: RetryOptions;
  /** Per-attempt timeout, body included (default 10,000 ms); a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Largest response body read (default 1 MiB); a larger one is a `response_too_large` `CrispApiError`. */
  maxResponseBytes?: number;
  /**
   * When `setContactData` or `replaceContactData` meets a 404 on an email, create the contact
   * (`POST people/profile`) and write the data (default `true`).
   */
  createMissing?: boolean;
  /** Called once per write that failed for good (its promise rejects too, and it is in the next report). */
  onError?: (error: CrispApiError | Error, target: CrispTarget) => void;
}

/** Options of one contact write. */
export interface ContactWriteOptions {
  /** Nickname of the contact if it has to be created (default: the email's local part). */
  nickname?: string;
}

/** Options of `flush()`. */
export interface FlushOptions {
  /** Aborting it cancels what is still under way; every write not done is reported as a failure. */
  signal?: AbortSignal;
  /** Give up after this long, the same way. */
  timeoutMs?: number;
}

/** One write that failed for good. */
export interface SyncFailure {
  readonly target: CrispTarget;
  /** A `CrispApiError`, `CrispAbortError`, `CrispDataError` (credentials), or the last network/timeout error. */
  readonly error: CrispApiError | Error;
}

/** What happened since the previous `flush()`. */
export interface SyncReport {
  /** HTTP attempts made, retries included. */
  readonly requests: number;
  /** Attempts that repeated an earlier one (rate limits, 5xx, unreadable answers, timeouts, connection errors). */
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
   * is deleted. `peopleId` may be an email; it is URL-encoded. A contact that does not exist yet (404 on an
   * email) is created with `options.nickname` (default: the email's local part), then written.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await crisp.setContactData(websiteId, "ada@example.com", { plan: "pro", trial_ends: null }, { nickname: "Ada" });
   */
  setContactData<T extends CrispDataInput>(
    websiteId: string,
    peopleId: string,
    data: CheckedInput<T>,
    options?: ContactWriteOptions,
  ): Promise<void>;
  /**
   * Replace a contact's whole data map (PUT); `{}` clears it. Creates a missing contact like `setContactData`.
   * @throws CrispDataError synchronously for invalid input.
   * @example
   * await crisp.replaceContactData(websiteId, peopleId, {}); // clear every key
   */
  replaceContactData<T extends CrispDataInput>(
    websiteId: string,
    peopleId: string,
    data: CheckedInput<T>,
    options?: ContactWriteOptions,
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
   * Resolve when every queued write is done or failed for good, with the report since the previous flush. With
   * `signal` or `timeoutMs`, it settles by that deadline: what is still under way is aborted and every write not
   * done is in `failures` (a `CrispAbortError`).
   * @example
   * const { requests, retries, failures } = await crisp.flush({ timeoutMs: 10_000 });
   */
  flush(options?: FlushOptions): Promise<SyncReport>;
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
const PROFILE_POST = "POST people/profile";

/**
 * Create the server-only REST client for Crisp custom data: validation shared with the browser, coalescing
 * per target, retries with backoff and jitter, adaptive pacing on rate limits, a concurrency cap, and missing
 * contacts created. Credentials come from the options or `CRISP_API_IDENTIFIER` / `CRISP_API_KEY` /
 * `CRISP_API_TIER`, and are checked at the first request, so a module-scope client does not break a build.
 *
 * @example
 * import { createCrispRestClient } from "@crisp-data/core/server";
 * const crisp = createCrispRestClient(); // CRISP_API_IDENTIFIER, CRISP_API_KEY
 * crisp.setContactData(websiteId, "ada@example.com", { plan: "pro", seats: 5 }); // fire and forget
 * const report = await crisp.flush({ timeoutMs: 10_000 }); // { requests, retries, failures }
 * @throws CrispDataError for a numeric option that is not a number in range, naming the option.
 */
export function createCrispRestClient(options: CrispRestClientOptions = {}): CrispRestClient {
  if (typeof options !== "object" || options === null) {
    throw new CrispDataError([{ key: "options", code: "invalid_value" }], "[crisp-data] options must be an object.");
  }
  const concurrency = checkNumber(options.concurrency, 4, "concurrency", { integer: true, min: 1, max: 1000 });
  const timeoutMs = checkNumber(options.timeoutMs, 10_000, "timeoutMs", { min: 1 });
  const maxResponseBytes = checkNumber(options.maxResponseBytes, 1_048_576, "maxResponseBytes", {
    integer: true,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  });
  const retry = resolveRetry(options.retry);
  if (options.tier !== undefined) checkTier(options.tier, "tier");
  const createMissing = options.createMissing ?? true;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const baseUrl = withSlash(options.baseUrl ?? "https://api.crisp.chat/v1/");
  const counters: RequestCounters = { requests: 0, retries: 0 };
  let failures: SyncFailure[] = [];
  let auth: Record<string, string> | undefined;
  const lanes = createLanes(concurrency);
  const requester = createRequester({
    fetch: fetchImpl,
    baseUrl,
    headers() {
      if (!auth) {
        const { identifier, key, tier } = resolveCredentials(options);
        // btoa rather than Buffer: also available in edge runtimes. Token ids and keys are ASCII.
        auth = { Authorization: `Basic ${btoa(`${identifier}:${key}`)}`, "X-Crisp-Tier": tier };
      }
      return auth;
    },
    timeoutMs,
    maxResponseBytes,
    retry,
    pacer: createPacer(),
    lanes,
    counters,
  });
  const queue = createTargetQueue<CrispTarget>(lanes, write);

  function record(target: CrispTarget, error: Error): void {
    failures.push({ target, error });
    try {
      options.onError?.(error, target);
    } catch {
      // A throwing onError must not stop the queue.
    }
  }

  function fail(target: CrispTarget, entry: PendingEntry, error: unknown, signal: AbortSignal): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    entry.reject(failure);
    record(target, failure);
    // Nothing listens there: every other write to this host would spend its own retries to learn the same.
    if (!signal.aborted && isUnreachable(failure)) queue.failAll(failure, (t) => record(t, failure));
  }

  async function write(job: WriteJob<CrispTarget>): Promise<void> {
    const { target, signal, lane } = job;
    const peeked = job.peek();
    if (!peeked) return;
    let first: Slot;
    try {
      // Wait for the first pacing slot before taking the entry, so calls made meanwhile still join this write.
      first = await requester.slot(firstRoute(target, peeked), {
        signal,
        priority: false,
        budgetMs: retry.maxWaitMs,
        lane,
        target,
      });
    } catch (error) {
      const entry = job.take();
      if (entry) fail(target, entry, error, signal);
      return;
    }
    const entry = job.take();
    try {
      if (!entry) return;
      // Nothing to set or delete: no request. A contact PATCH of `{"data":{}}` is the very body Crisp's help
      // gives for clearing a contact's data, so an empty merge must never reach the API.
      if (!entry.replace && entry.patch.size === 0) {
        entry.resolve();
        return;
      }
      await perform(target, entry, first, signal);
      entry.resolve();
    } catch (error) {
      if (entry) fail(target, entry, error, signal);
    } finally {
      first.release();
    }
  }

  async function perform(target: CrispTarget, entry: PendingEntry, first: Slot, signal: AbortSignal): Promise<void> {
    let held: Slot | undefined = first;
    const send = (call: Omit<RestCall, "target" | "signal">) => {
      const slot = held;
      held = undefined;
      return requester.request({ ...call, target, signal }, slot);
    };
    if (target.type === "session") {
      const path = sessionPath(target.websiteId, target.sessionId);
      const current = (await send({ method: "GET", route: SESSION_GET, path, expect: "meta" })) ?? {};
      const body = { data: applyPatch(current, entry.patch) };
      await send({ method: "PATCH", route: SESSION_PATCH, path, body, expect: "write" });
      return;
    }
    const path = contactPath(target.websiteId, target.peopleId);
    const plan = async () => {
      if (entry.replace) {
        await send({ method: "PUT", route: CONTACT_PUT, path, body: { data: setKeys(entry.patch) }, expect: "write" });
      } else if (!hasDeletes(entry.patch)) {
        await send({
          method: "PATCH",
          route: CONTACT_PATCH,
          path,
          body: { data: setKeys(entry.patch) },
          expect: "write",
        });
      } else {
        // PATCH cannot delete a key (unverified whether "" would), so read and PUT the full map without it.
        const current = (await send({ method: "GET", route: CONTACT_GET, path, expect: "people" })) ?? {};
        const body = { data: applyPatch(current, entry.patch) };
        await send({ method: "PUT", route: CONTACT_PUT, path, body, expect: "write" });
      }
    };
    try {
      await plan();
    } catch (error) {
      // Crisp documents no reason for "no such contact": a 404 on people/data for an email is read as one.
      const missing = error instanceof CrispApiError && error.status === 404;
      if (!missing || !createMissing || !isEmail(target.peopleId)) throw error;
      const data = setKeys(entry.patch);
      // Only deletions (or a replace with {}): a contact that does not exist already holds none of it.
      if (Object.keys(data).length === 0) return;
      const body = { email: target.peopleId, person: { nickname: entry.nickname ?? localPart(target.peopleId) } };
      const profilePath = `website/${encodeURIComponent(target.websiteId)}/people/profile`;
      try {
        // Crisp's documented profile body has no `data`: create, then write the data.
        await send({ method: "POST", route: PROFILE_POST, path: profilePath, body, expect: "write" });
      } catch (creation) {
        // 409: created meanwhile (another writer, or our own earlier attempt whose answer was lost).
        if (creation instanceof CrispApiError && creation.status === 409) return plan();
        throw creation;
      }
      const route = entry.replace ? CONTACT_PUT : CONTACT_PATCH;
      await send({ method: entry.replace ? "PUT" : "PATCH", route, path, body: { data }, expect: "write" });
    }
  }

  function enqueue(target: CrispTarget, data: CrispDataInput, replace: boolean, nickname?: string): Promise<void> {
    const entries = validateInputStrict(data);
    return queue.enqueue(targetKey(target), target, (entry) => {
      if (replace) {
        entry.replace = true;
        entry.patch.clear();
      }
      for (const [key, value] of entries) entry.patch.set(key, value);
      if (nickname !== undefined) entry.nickname = nickname;
    });
  }

  async function read(
    path: string,
    route: string,
    expect: "meta" | "people",
    target: CrispTarget,
  ): Promise<Record<string, CrispDataValue>> {
    return applyPatch((await requester.request({ method: "GET", route, path, expect, target })) ?? {}, new Map());
  }

  return {
    setSessionData(websiteId, sessionId, data) {
      return enqueue(sessionTarget(websiteId, sessionId), data, false);
    },
    setContactData(websiteId, peopleId, data, writeOptions) {
      return enqueue(contactTarget(websiteId, peopleId), data, false, checkNickname(writeOptions));
    },
    replaceContactData(websiteId, peopleId, data, writeOptions) {
      return enqueue(contactTarget(websiteId, peopleId), data, true, checkNickname(writeOptions));
    },
    getSessionData(websiteId, sessionId) {
      const target = sessionTarget(websiteId, sessionId);
      return read(sessionPath(target.websiteId, target.sessionId), SESSION_GET, "meta", target);
    },
    getContactData(websiteId, peopleId) {
      const target = contactTarget(websiteId, peopleId);
      return read(contactPath(target.websiteId, target.peopleId), CONTACT_GET, "people", target);
    },
    async flush(flushOptions = {}) {
      const { signal } = flushOptions;
      const limit =
        flushOptions.timeoutMs === undefined
          ? undefined
          : checkNumber(flushOptions.timeoutMs, 0, "timeoutMs", { min: 0 });
      if (signal !== undefined || limit !== undefined) {
        const cancelled = await untilDeadline(queue.whenIdle(), signal, limit);
        if (cancelled) {
          queue.failAll(cancelled, (target) => record(target, cancelled));
          await queue.whenIdle();
        }
      } else {
        await queue.whenIdle();
      }
      const report: SyncReport = { requests: counters.requests, retries: counters.retries, failures };
      counters.requests = 0;
      counters.retries = 0;
      failures = [];
      return report;
    },
    whenCapacity(maxPending) {
      const limit = checkNumber(maxPending, concurrency * 4, "maxPending", { min: 0, max: Number.MAX_SAFE_INTEGER });
      return queue.whenBelow(Math.max(1, limit));
    },
    get pending() {
      return queue.size;
    },
  };
}

/** Resolves with `undefined` when `idle` wins, else with the error every unfinished write fails with. */
function untilDeadline(
  idle: Promise<void>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): Promise<CrispAbortError | undefined> {
  if (signal?.aborted) return Promise.resolve(new CrispAbortError("flush() signal aborted", signal.reason));
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (result: CrispAbortError | undefined) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const onAbort = () => settle(new CrispAbortError("flush() signal aborted", signal?.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => settle(new CrispAbortError(`flush() timeoutMs (${timeoutMs} ms) passed`)), timeoutMs);
    }
    void idle.then(() => settle(undefined));
  });
}

function localPart(email: string): string {
  return email.slice(0, email.lastIndexOf("@"));
}

function firstRoute(target: CrispTarget, entry: PendingEntry): string {
  if (target.type === "session") return SESSION_GET;
  if (entry.replace) return CONTACT_PUT;
  return hasDeletes(entry.patch) ? CONTACT_GET : CONTACT_PATCH;
}

function sessionPath(websiteId: string, sessionId: string): string {
  return `website/${encodeURIComponent(websiteId)}/conversation/${encodeURIComponent(sessionId)}/meta`;
}

function contactPath(websiteId: string, peopleId: string): string {
  return `website/${encodeURIComponent(websiteId)}/people/data/${encodeURIComponent(peopleId)}`;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
