import type { CrispDataValue } from "@crisp-data/core";

/** How to read a CSV column (or coerce a string from another source) into a custom-data value. */
export type ColumnType = "string" | "number" | "boolean";

/** Options of `syncContacts`. `from` and `websiteId` are required; so are credentials unless `dryRun`. */
export interface SyncContactsOptions {
  /**
   * Where the contacts come from: a `.csv` file, an `.ndjson`/`.jsonl` file, or a `postgres://` (or
   * `postgresql://`) connection string together with `query`.
   */
  from: string;
  /** SQL run against `from` when it is a PostgreSQL URL; streamed with a cursor. */
  query?: string;
  /** The Crisp website to write to. */
  websiteId: string;
  /** REST API root (default `https://api.crisp.chat/v1/`); point it at the emulator in tests. */
  apiUrl?: string;
  /** Token identifier (default `process.env.CRISP_API_IDENTIFIER`). */
  identifier?: string;
  /** Token key (default `process.env.CRISP_API_KEY`). */
  key?: string;
  /** The column holding the contact's email (default `"email"`). */
  emailColumn?: string;
  /** A column holding the contact's name, used as its nickname when the contact is created (default: none). */
  nicknameColumn?: string;
  /**
   * Column types, by column name or by the key it normalises to: CSV values stay strings unless listed here
   * (`{ plan_price: "number", is_trialing: "boolean" }`); a listed string from NDJSON or PostgreSQL is coerced too.
   */
  types?: Readonly<Record<string, ColumnType>>;
  /**
   * The state store: a directory (default `.crisp-data-sync`, holding `state.sqlite`) or a `.sqlite`/`.db` file.
   * It remembers, per API URL and website, which keys this tool wrote to each contact and a hash of their values.
   */
  state?: string;
  /** Read, compare and report what would change; write nothing to Crisp or to the state store. */
  dryRun?: boolean;
  /** Requests under way at once (default 4). */
  concurrency?: number;
  /** Stop after this many data rows. */
  maxRows?: number;
  /** Where to write one JSON line per row that was skipped or failed (default: none). */
  reportFile?: string;
  /** Diffs kept in the report (default 5). */
  diffLimit?: number;
  /** Issues kept in the report's `issues` (default 1,000; the report file has all of them). */
  issueLimit?: number;
  /** Called after every row and every finished write, with the counts so far. A throwing callback is ignored. */
  onProgress?: (progress: SyncProgress) => void;
  /** Stops reading at once; writes under way finish and are recorded, then the report says `aborted`. */
  signal?: AbortSignal;
  /** `fetch` for the REST client (default the global one). */
  fetch?: typeof fetch;
  /** Clock for `elapsedMs` (default `performance.now`). */
  now?: () => number;
}

/** Counts so far, passed to `onProgress`. */
export interface SyncProgress {
  /** Data rows read from the source (headers and blank lines not counted). */
  readonly rowsRead: number;
  /** Contacts whose write succeeded (in a dry run: that would be written). */
  readonly written: number;
  /** Rows whose values are those this tool wrote last time: nothing to send. */
  readonly unchanged: number;
  /** Writes the API refused for good. */
  readonly failed: number;
  /** Rows skipped: invalid email or value. */
  readonly invalid: number;
  /** Rows whose email an earlier row of this run had (the later row wins). */
  readonly duplicates: number;
  /** Writes queued or under way. */
  readonly pending: number;
  /** Share of a file read so far, 0..1 (`undefined` for PostgreSQL). */
  readonly fraction: number | undefined;
  readonly elapsedMs: number;
}

/** Why a row was reported. */
export type SyncIssueKind = "invalid_row" | "duplicate" | "write_failed";

/** One reported row. Never contains an email: `line` identifies the row. */
export interface SyncIssue {
  readonly kind: SyncIssueKind;
  /** The row's line in a file (header = line 1), or its 1-based row number in a PostgreSQL result. */
  readonly line: number;
  /** The key (or column) at fault, when there is one. */
  readonly key?: string;
  readonly message: string;
}

/** What a write does (or would do, in a dry run) to one contact. */
export interface SyncDiff {
  readonly line: number;
  /** Keys set, with their new values. */
  readonly set: Readonly<Record<string, CrispDataValue>>;
  /** Keys this tool wrote before and deletes now. */
  readonly deleted: readonly string[];
  /** True when the state store had no record of this contact. */
  readonly isNew: boolean;
}

/** What `syncContacts` did. */
export interface SyncContactsReport extends Omit<SyncProgress, "pending" | "fraction"> {
  readonly dryRun: boolean;
  /** The signal aborted the run: run again to resume. */
  readonly aborted: boolean;
  /** Keys set and deleted, over every written contact. */
  readonly keysSet: number;
  readonly keysDeleted: number;
  /** HTTP requests made, retries included, and the retries alone. */
  readonly requests: number;
  readonly retries: number;
  /** The first `issueLimit` issues, in order. */
  readonly issues: readonly SyncIssue[];
  /** The first `diffLimit` diffs, in order. */
  readonly diffs: readonly SyncDiff[];
  /** The state file used (`undefined` in a dry run with no state yet). */
  readonly stateFile: string | undefined;
}
