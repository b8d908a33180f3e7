import { existsSync, mkdirSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import Database from "better-sqlite3";
import { CrispSyncError } from "./errors";
import type { ContactRow } from "./rowMapper";

/** The default state directory, relative to the working directory. */
export const DEFAULT_STATE_DIR = ".crisp-data-sync";
const STATE_FILE = "state.sqlite";
const SCHEMA_VERSION = 1;

/** Per contact: every key this tool wrote, with the digest of the value it wrote. */
export type WrittenKeys = Readonly<Record<string, string>>;

/** What the store knows of one contact. */
export interface StoredContact {
  readonly keys: WrittenKeys;
  /**
   * Digests of rows that came before the winning row of a repeated email, last time: when such a row comes again
   * it is held back until the end of the run, in case its later twin comes too (then it is not written at all).
   */
  readonly shadows: readonly string[];
}

export interface StateStore {
  /** The SQLite file, or `undefined` for a dry run before any state exists. */
  readonly file: string | undefined;
  get(contact: string): StoredContact | undefined;
  /** Commits at once (its own transaction): a run killed right after loses nothing it recorded. */
  put(contact: string, keys: WrittenKeys, shadows: readonly string[]): void;
  close(): void;
}

export interface StateStoreOptions {
  /** A directory (holding `state.sqlite`) or a `.sqlite`/`.sqlite3`/`.db` file. */
  path: string;
  apiUrl: string;
  websiteId: string;
  /** A dry run: never create or change anything. */
  readOnly: boolean;
}

/** Resolves `--state` to the SQLite file. */
export function stateFilePath(path: string): string {
  const extension = extname(path).toLowerCase();
  return extension === ".sqlite" || extension === ".sqlite3" || extension === ".db"
    ? resolve(path)
    : resolve(path, STATE_FILE);
}

/**
 * Opens the state of one API URL and website: records of an emulator run never count for real Crisp. WAL with
 * `synchronous=NORMAL` survives the process being killed (SIGKILL included) with every committed record.
 */
export function openStateStore(options: StateStoreOptions): StateStore {
  const file = stateFilePath(options.path);
  if (options.readOnly && !existsSync(file)) {
    return { file: undefined, get: () => undefined, put: () => {}, close: () => {} };
  }
  let db: Database.Database;
  try {
    if (!options.readOnly) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { readonly: options.readOnly, fileMustExist: options.readOnly });
    if (!options.readOnly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      migrate(db);
    }
  } catch (error) {
    throw stateError(file, error);
  }
  try {
    const scope = scopeId(db, options.apiUrl, options.websiteId, options.readOnly);
    if (scope === undefined) return { file, get: () => undefined, put: () => {}, close: () => db.close() };
    const select = db.prepare<[number, string], { keys: string; shadows: string | null }>(
      "SELECT keys, shadows FROM contacts WHERE scope = ? AND contact = ?",
    );
    const upsert = options.readOnly
      ? undefined
      : db.prepare<[number, string, string, string | null, number]>(
          "INSERT INTO contacts (scope, contact, keys, shadows, updated_at) VALUES (?, ?, ?, ?, ?) " +
            "ON CONFLICT (scope, contact) DO UPDATE SET keys = excluded.keys, shadows = excluded.shadows, " +
            "updated_at = excluded.updated_at",
        );
    return {
      file,
      get(contact) {
        const row = select.get(scope, contact);
        if (!row) return undefined;
        return { keys: JSON.parse(row.keys) as WrittenKeys, shadows: row.shadows ? JSON.parse(row.shadows) : [] };
      },
      put(contact, keys, shadows) {
        try {
          upsert?.run(
            scope,
            contact,
            JSON.stringify(keys),
            shadows.length ? JSON.stringify(shadows) : null,
            Date.now(),
          );
        } catch (error) {
          throw stateError(file, error);
        }
      },
      close() {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw stateError(file, error);
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`it was written by a newer crisp-data-sync (schema ${version})`);
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS scopes (
      id INTEGER PRIMARY KEY,
      api_url TEXT NOT NULL,
      website_id TEXT NOT NULL,
      UNIQUE (api_url, website_id)
    );
    CREATE TABLE IF NOT EXISTS contacts (
      scope INTEGER NOT NULL REFERENCES scopes (id),
      contact TEXT NOT NULL,
      keys TEXT NOT NULL,
      shadows TEXT,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (scope, contact)
    ) WITHOUT ROWID;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}

function scopeId(db: Database.Database, apiUrl: string, websiteId: string, readOnly: boolean): number | undefined {
  const find = () =>
    db
      .prepare<[string, string], { id: number }>("SELECT id FROM scopes WHERE api_url = ? AND website_id = ?")
      .get(apiUrl, websiteId)?.id;
  const found = find();
  if (found !== undefined || readOnly) return found;
  db.prepare("INSERT INTO scopes (api_url, website_id) VALUES (?, ?)").run(apiUrl, websiteId);
  return find();
}

function stateError(file: string, error: unknown): CrispSyncError {
  const detail = error instanceof Error ? error.message : String(error);
  return new CrispSyncError("state", "--state", `Cannot use the state store ${file}: ${detail}.`, { cause: error });
}

/** An earlier row of this run with the same email. */
export interface EarlierRow {
  readonly line: number;
  /** Digests of every earlier row of this email in this run, oldest first. */
  readonly shadows: readonly string[];
}

/** A row held back (see `StoredContact.shadows`), with the shadows it will commit. */
export interface DeferredRow {
  readonly contact: ContactRow;
  readonly shadows: readonly string[];
}

/**
 * Emails seen in this run and rows held back, on a temporary on-disk database (deleted on close) so a million
 * rows cost no heap.
 */
export interface SeenSet {
  /** Records the row (its digest and line) and returns the earlier rows of this email, if any. */
  see(contact: string, line: number, digest: string): EarlierRow | undefined;
  defer(contact: string, row: DeferredRow): void;
  /** Forgets a held-back row (a later row of the same email came); true when there was one. */
  undefer(contact: string): boolean;
  /** The rows still held back, in source order, a page at a time. */
  deferred(): Generator<DeferredRow>;
  close(): void;
}

export function createSeenSet(): SeenSet {
  const db = new Database("");
  db.exec(`
    CREATE TABLE seen (contact TEXT PRIMARY KEY, line INTEGER NOT NULL, shadows TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE deferred (seq INTEGER PRIMARY KEY, contact TEXT NOT NULL UNIQUE, row TEXT NOT NULL);
  `);
  const select = db.prepare<[string], { line: number; shadows: string }>(
    "SELECT line, shadows FROM seen WHERE contact = ?",
  );
  const upsert = db.prepare<[string, number, string]>(
    "INSERT INTO seen (contact, line, shadows) VALUES (?, ?, ?) " +
      "ON CONFLICT (contact) DO UPDATE SET line = excluded.line, shadows = excluded.shadows",
  );
  const insertDeferred = db.prepare<[string, string]>(
    "INSERT INTO deferred (contact, row) VALUES (?, ?) ON CONFLICT (contact) DO UPDATE SET row = excluded.row",
  );
  const deleteDeferred = db.prepare<[string]>("DELETE FROM deferred WHERE contact = ?");
  const page = db.prepare<[number], { seq: number; row: string }>(
    "SELECT seq, row FROM deferred WHERE seq > ? ORDER BY seq LIMIT 500",
  );
  return {
    see(contact, line, digest) {
      const found = select.get(contact);
      const earlier = found ? { line: found.line, shadows: JSON.parse(found.shadows) as string[] } : undefined;
      // This row's digest goes last: it is a shadow only once a later row of the email comes.
      upsert.run(contact, line, JSON.stringify([...(earlier?.shadows ?? []), digest]));
      return earlier && { line: earlier.line, shadows: earlier.shadows };
    },
    defer(contact, row) {
      insertDeferred.run(contact, JSON.stringify(row));
    },
    undefer(contact) {
      return deleteDeferred.run(contact).changes > 0;
    },
    *deferred() {
      let after = 0;
      for (;;) {
        const rows = page.all(after);
        for (const { seq, row } of rows) {
          after = seq;
          yield JSON.parse(row) as DeferredRow;
        }
        if (rows.length < 500) return;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
