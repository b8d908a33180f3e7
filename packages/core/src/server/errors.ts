import { CrispDataError } from "@crisp-data/core";
import { type CrispTarget, describeTarget } from "./targets";

/**
 * The Crisp REST API refused a request for good: a 4xx other than a rate limit, a 5xx or an unreadable answer
 * that outlived the retry budget (`reason: "invalid_response"`, `"response_too_large"`), or a rate limit that
 * outlived `retry.maxWaitMs` (then `status` is 429 and `reason` is `rate_limited`). It extends the one
 * `CrispDataError` of `@crisp-data/core`, so one `instanceof` check covers both entries. The message names the
 * target by website and a short hash, never by email; `target` holds the full ids for code that needs them.
 *
 * @example
 * try { await rest.setContactData(websiteId, "ada@example.com", { plan: "pro" }) }
 * catch (e) { if (e instanceof CrispApiError && e.status === 404) console.log("no such contact") }
 */
export class CrispApiError extends CrispDataError {
  override readonly name: string = "CrispApiError";
  /** The HTTP status Crisp answered with (429 for a rate limit that outlived `maxWaitMs`, even after a 420). */
  readonly status: number;
  /**
   * Crisp's envelope `reason` (e.g. `not_found`, `invalid_data`), `http_<status>` when the body had none, or one
   * of ours: `invalid_response`, `response_too_large`, `rate_limited`.
   */
  readonly reason: string;
  /** The write or read this answer was for, when known. */
  readonly target: CrispTarget | undefined;

  constructor(status: number, reason: string, detail?: string, target?: CrispTarget) {
    super(
      [{ key: "", code: "api_error" }],
      `[crisp-data] Crisp REST API answered ${status} (${reason})${target ? ` for ${describeTarget(target)}` : ""}${
        detail ? `: ${detail}` : ""
      }.`,
    );
    this.status = status;
    this.reason = reason;
    this.target = target;
  }
}

/** A request that got no answer (headers and body) within `timeoutMs`; retried like a connection reset. */
export class CrispTimeoutError extends Error {
  override readonly name: string = "TimeoutError";
  constructor(timeoutMs: number, what = "a Crisp REST request") {
    super(`[crisp-data] No answer to ${what} within ${timeoutMs} ms.`);
  }
}

/**
 * A write given up by `flush({ signal })` or `flush({ timeoutMs })`: it was cancelled (its request aborted) or
 * never started. Every such write is in that flush's `failures`.
 */
export class CrispAbortError extends CrispDataError {
  override readonly name: string = "CrispAbortError";
  constructor(why: string, cause?: unknown) {
    super([{ key: "", code: "api_error" }], `[crisp-data] Write cancelled before it was done: ${why}.`);
    if (cause !== undefined) Object.defineProperty(this, "cause", { value: cause, configurable: true });
  }
}
