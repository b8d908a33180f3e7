import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { SourceRow } from "../rowMapper";
import { fileSize, sourceError } from "./csv";
import type { Source } from "./source";

/** One JSON object per line; values keep their JSON types. Blank lines are skipped. */
export function ndjsonSource(path: string): Source {
  const size = fileSize(path);
  const file = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input: file, crlfDelay: Number.POSITIVE_INFINITY });
  let fileError: unknown;
  // Bytes of the lines handed out: the stream reads ahead, so its own count runs early.
  let consumed = 0;
  file.on("error", (error) => {
    fileError = error;
    lines.close();
  });

  return {
    unit: "line",
    async columns() {
      return undefined;
    },
    async *rows() {
      let line = 0;
      try {
        for await (const text of lines) {
          line++;
          consumed += Buffer.byteLength(text) + 1;
          if (line === 1 && text.charCodeAt(0) === 0xfeff) yield* parseLine(text.slice(1), line);
          else if (text.trim() !== "") yield* parseLine(text, line);
        }
      } catch (error) {
        throw sourceError(path, error);
      }
      if (fileError) throw sourceError(path, fileError);
    },
    fraction() {
      return size ? Math.min(1, consumed / size) : undefined;
    },
    async close() {
      lines.close();
      file.destroy();
    },
  };
}

function* parseLine(text: string, line: number): Generator<SourceRow & { error?: string }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    yield { line, cells: [], error: "is not valid JSON" };
    return;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    yield { line, cells: [], error: "is not a JSON object" };
    return;
  }
  yield { line, cells: Object.entries(value) };
}
