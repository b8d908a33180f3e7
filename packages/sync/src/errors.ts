import { CrispDataError } from "@crisp-data/core";

/**
 * Why a sync could not run at all (as opposed to a row it skipped, which is only reported):
 * - `usage`: an option is wrong or missing (the CLI exits 2);
 * - `columns`: the source's columns cannot be mapped, e.g. two of them normalise to the same key (exit 2);
 * - `source`: the file cannot be read or parsed (exit 3);
 * - `database`: PostgreSQL refused the connection or the query (exit 3);
 * - `credentials`: the Crisp API refused the token (exit 3);
 * - `state`: the state store cannot be opened or written (exit 3).
 */
export type CrispSyncErrorKind = "usage" | "columns" | "source" | "database" | "credentials" | "state";

/**
 * A sync that stopped (or never started). `option` names the option, column or key at fault when there is one.
 * Extends `CrispDataError`, so one `instanceof` check covers every crisp-data error.
 *
 * @example
 * try { await syncContacts(options) }
 * catch (e) { if (e instanceof CrispSyncError && e.kind === "columns") console.error(e.message) }
 */
export class CrispSyncError extends CrispDataError {
  override readonly name: string = "CrispSyncError";
  readonly kind: CrispSyncErrorKind;
  /** The option, column or key at fault (`""` when none). */
  readonly option: string;

  constructor(kind: CrispSyncErrorKind, option: string, message: string, options?: { cause?: unknown }) {
    super([{ key: option, code: kind === "columns" ? "invalid_key" : "invalid_value" }], `[crisp-data] ${message}`);
    this.kind = kind;
    this.option = option;
    if (options?.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause });
  }
}
