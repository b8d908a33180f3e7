import type { SourceRow } from "../rowMapper";

/** A stream of rows from one place. Reading is pulled: nothing is read ahead of what the sync asks for. */
export interface Source {
  /** How a row is located in messages: a file's `line`, a query result's `row`. */
  readonly unit: "line" | "row";
  /** The columns every row has (CSV header, query fields), read before the first row; `undefined` for NDJSON. */
  columns(): Promise<readonly string[] | undefined>;
  /** Rows in source order. A row the source itself cannot read has `error` set (and is skipped by the sync). */
  rows(): AsyncIterable<SourceRow & { readonly error?: string }>;
  /** Share of the source read so far (files), or `undefined` when unknown. */
  fraction(): number | undefined;
  /** Releases the file or connection; safe to call twice. */
  close(): Promise<void>;
}
