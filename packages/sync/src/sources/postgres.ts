import pg from "pg";
import Cursor from "pg-cursor";
import { CrispSyncError } from "../errors";
import type { SourceRow } from "../rowMapper";
import type { Source } from "./source";

/** Rows fetched per round trip: large enough to be fast, small enough to keep memory flat. */
const BATCH = 500;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * Values keep their types, with three changes so they fit custom data: int8 becomes a number when it is a safe
 * integer (a bigint otherwise, refused later), numeric a number, and a `date` stays `YYYY-MM-DD` instead of
 * becoming a midnight in the local time zone.
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (format !== "binary") {
      if (oid === INT8) return (text: string) => BigInt(text);
      if (oid === NUMERIC) return (text: string) => Number(text);
      if (oid === DATE) return (text: string) => text;
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's own parser signature
    return pg.types.getTypeParser(oid, format as any);
  },
};

/** A PostgreSQL query, read through a cursor `BATCH` rows at a time: never loaded whole. */
export function postgresSource(connectionString: string, query: string): Source {
  const client = new pg.Client({ connectionString, types });
  let cursor: Cursor<unknown[]> | undefined;
  let fields: string[] | undefined;
  let buffered: unknown[][] = [];
  let done = false;
  let closed = false;
  // A connection dropped between reads surfaces here instead of as an unhandled 'error' event.
  let lost: Error | undefined;
  client.on("error", (error) => {
    lost = error;
  });

  function read(): Promise<unknown[][]> {
    const current = cursor;
    if (!current) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      current.read(BATCH, (error, rows, result) => {
        if (error) return reject(databaseError("--query", "PostgreSQL refused the query", error));
        fields ??= result.fields.map((field) => field.name);
        resolve(rows);
      });
    });
  }

  async function start(): Promise<void> {
    if (cursor) return;
    try {
      await client.connect();
    } catch (error) {
      throw databaseError("--from", "Cannot connect to PostgreSQL", error);
    }
    cursor = client.query(new Cursor<unknown[]>(query, [], { rowMode: "array" }));
    buffered = await read();
    done = buffered.length < BATCH;
  }

  return {
    unit: "row",
    async columns() {
      await start();
      return fields ?? [];
    },
    async *rows() {
      await start();
      const names = fields ?? [];
      let row = 0;
      for (;;) {
        for (const values of buffered) {
          row++;
          yield { line: row, cells: names.map((name, i) => [name, values[i]] as const) } satisfies SourceRow;
        }
        if (done) return;
        if (lost) throw databaseError("--from", "Lost the PostgreSQL connection", lost);
        buffered = await read();
        done = buffered.length < BATCH;
      }
    },
    fraction() {
      return undefined;
    },
    async close() {
      if (closed) return;
      closed = true;
      await cursor?.close().catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

function databaseError(option: string, what: string, error: unknown): CrispSyncError {
  // pg's messages name the server's complaint (never the connection string, which may hold a password).
  const detail = error instanceof Error ? error.message : String(error);
  return new CrispSyncError("database", option, `${what}: ${detail}.`, { cause: error });
}
