import { CrispDataError } from "@crisp-data/core";

/**
 * The Crisp REST API refused a request for good: a 4xx other than a rate limit, a 5xx that outlived the retry
 * budget, or a rate limit that outlived `retry.maxWaitMs` (then `status` is 429 and `reason` is `rate_limited`).
 * It extends the one `CrispDataError` of `@crisp-data/core`, so one `instanceof` check covers both entries.
 *
 * @example
 * try { await rest.setContactData(websiteId, "ada@example.com", { plan: "pro" }) }
 * catch (e) { if (e instanceof CrispApiError && e.status === 404) console.log("no such contact") }
 */
export class CrispApiError extends CrispDataError {
  override readonly name: string = "CrispApiError";
  /** The HTTP status Crisp answered with (429 for a rate limit that outlived `maxWaitMs`, even after a 420). */
  readonly status: number;
  /** Crisp's envelope `reason` (e.g. `not_found`, `invalid_data`), or `http_<status>` when the body had none. */
  readonly reason: string;

  constructor(status: number, reason: string, detail?: string) {
    super(
      [{ key: "", code: "api_error" }],
      `[crisp-data] Crisp REST API answered ${status} (${reason})${detail ? `: ${detail}` : ""}.`,
    );
    this.status = status;
    this.reason = reason;
  }
}

/** A request that got no answer within `timeoutMs`; retried like a connection reset. */
export class CrispTimeoutError extends Error {
  override readonly name: string = "TimeoutError";
  constructor(timeoutMs: number, url: string) {
    super(`[crisp-data] No answer from ${url} within ${timeoutMs} ms.`);
  }
}
