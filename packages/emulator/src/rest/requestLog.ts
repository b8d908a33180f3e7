import type { FaultKind } from "../options";

/** One handled REST request, as `requests()` lists it. */
export interface RestRequestRecord {
  /** 1 for the first REST request, then one more for each: `requests({ since: seq })` lists what came after. */
  seq: number;
  method: string;
  /** The path as received (still URL-encoded), without the query string. */
  path: string;
  /** The HTTP status sent; `0` for `timeout` and `reset` faults, which send none. */
  status: number;
  fault?: FaultKind;
}

/** How many of the latest REST requests `requests()` keeps: a long-running emulator must not grow forever. */
export const REQUEST_LOG_LIMIT = 10_000;

/**
 * The REST request log: a window of the latest `limit` records, and a total that only grows (a JS number is exact
 * up to 2^53, so it never wraps in practice). Callers that count use `total` or `since`, not the window's length.
 */
export class RequestLog {
  readonly #limit: number;
  #records: RestRequestRecord[] = [];
  #total = 0;

  constructor(limit: number = REQUEST_LOG_LIMIT) {
    this.#limit = limit;
  }

  get total(): number {
    return this.#total;
  }

  add(record: Omit<RestRequestRecord, "seq">): void {
    this.#total += 1;
    this.#records.push({ seq: this.#total, ...record });
    // Trim in chunks so a full log does not copy the whole window on every request.
    if (this.#records.length > this.#limit + Math.ceil(this.#limit / 10)) {
      this.#records = this.#records.slice(-this.#limit);
    }
  }

  /** The kept records after `since` (a `seq`; default 0: all kept), oldest first, as copies. */
  list(since = 0): RestRequestRecord[] {
    const kept = this.#records.slice(-this.#limit);
    // Records are in seq order without gaps: find the first one after `since` by arithmetic.
    const first = kept[0]?.seq ?? this.#total + 1;
    const start = Math.max(0, Math.floor(since) - first + 1);
    return kept.slice(start).map((record) => ({ ...record }));
  }
}
