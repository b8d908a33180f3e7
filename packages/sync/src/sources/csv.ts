import { createReadStream, statSync } from "node:fs";
import { parse } from "csv-parse";
import { CrispSyncError } from "../errors";
import type { SourceRow } from "../rowMapper";
import type { Source } from "./source";

interface ParsedRecord {
  record: string[];
  info: { lines: number; bytes: number };
}

/** A CSV file with a header row, parsed as it streams (csv-parse); every value is a string. */
export function csvSource(path: string): Source {
  const size = fileSize(path);
  const file = createReadStream(path);
  const parser = file.pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }));
  file.on("error", (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<ParsedRecord>;
  let header: string[] | undefined;
  // Bytes up to the last record handed out: the stream reads ahead, so its own count runs early.
  let consumed = 0;

  async function next(): Promise<ParsedRecord | undefined> {
    try {
      const result = await records.next();
      if (result.done) return undefined;
      consumed = result.value.info.bytes;
      return result.value;
    } catch (error) {
      throw sourceError(path, error);
    }
  }

  return {
    unit: "line",
    async columns() {
      if (!header) header = (await next())?.record ?? [];
      return header;
    },
    async *rows() {
      const columns = await this.columns();
      const width = columns?.length ?? 0;
      for (let parsed = await next(); parsed; parsed = await next()) {
        const { record, info } = parsed;
        const row: SourceRow & { error?: string } = {
          line: startLine(record, info.lines),
          cells: (columns ?? []).map((column, i) => [column, record[i]] as const),
        };
        yield record.length === width
          ? row
          : { ...row, error: `has ${record.length} fields where the header has ${width}` };
      }
    },
    fraction() {
      return size ? Math.min(1, consumed / size) : undefined;
    },
    async close() {
      parser.destroy();
      file.destroy();
    },
  };
}

/** csv-parse gives the line a record ends on; quoted fields may span lines. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const field of record) for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) breaks++;
  return endLine - breaks;
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw sourceError(path, error);
  }
}

export function sourceError(path: string, error: unknown): CrispSyncError {
  if (error instanceof CrispSyncError) return error;
  const { code, lines } = (error ?? {}) as { code?: string; lines?: number };
  // csv-parse messages quote the offending value, which may be personal data: keep the code and line only.
  const what =
    code?.startsWith("CSV_") === true
      ? `${code}${lines ? ` at line ${lines}` : ""}`
      : error instanceof Error
        ? error.message
        : String(error);
  return new CrispSyncError("source", "--from", `Cannot read ${path}: ${what}.`, { cause: error });
}
