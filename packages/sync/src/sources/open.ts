import { extname } from "node:path";
import { CrispSyncError } from "../errors";
import { csvSource } from "./csv";
import { ndjsonSource } from "./ndjson";
import { postgresSource } from "./postgres";
import type { Source } from "./source";

/** True for a PostgreSQL connection string (`postgres://` or `postgresql://`). */
export function isPostgresUrl(from: string): boolean {
  return /^postgres(ql)?:\/\//i.test(from);
}

/**
 * Picks the source from `from`: a PostgreSQL URL (needs `query`), else a file by extension (`.csv`, `.ndjson`,
 * `.jsonl`).
 * @throws CrispSyncError (`usage`) for an unknown kind or a misplaced query.
 */
export function openSource(from: string, query: string | undefined): Source {
  if (isPostgresUrl(from)) {
    if (!query?.trim()) {
      throw new CrispSyncError(
        "usage",
        "--query",
        "A PostgreSQL source needs --query (e.g. select email, plan from users).",
      );
    }
    return postgresSource(from, query);
  }
  if (query !== undefined)
    throw new CrispSyncError("usage", "--query", "--query only applies to a postgres:// source.");
  const extension = extname(from).toLowerCase();
  if (extension === ".csv") return csvSource(from);
  if (extension === ".ndjson" || extension === ".jsonl") return ndjsonSource(from);
  throw new CrispSyncError(
    "usage",
    "--from",
    `Cannot tell what ${from} is: use a .csv, .ndjson or .jsonl file, or a postgres:// URL.`,
  );
}
