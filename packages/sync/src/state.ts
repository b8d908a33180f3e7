import { existsSync, mkdirSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import Database from "better-sqlite3";
import { CrispSyncError } from "./errors";

/** The default state directory, relative to the working directory. */
export const DEFAULT_STATE_DIR = ".crisp-data-sync";
const STATE_FILE = "state.sqlite";
const SCHEMA_VERSION = 1;

/** Per contact: every key this tool wrote, with the digest of the value it wrote. */
export type WrittenKeys = Readonly<Record<string, string>>;

export interface StateStore {
  /** The SQLite file, or `undefined` for a dry run before any state exists. */
  readonly file: string | undefined;
  get(contact: string): WrittenKeys | undefined;
  /** Commits at once (its own transaction): a run killed right after loses nothing it recorded. */
  put(contact: string, keys: WrittenKeys): void;
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
    const select = db.prepare<[number, string], { keys: string }>(
      "SELECT keys FROM contacts WHERE scope = ? AND contact = ?",
    );
    const upsert = options.readOnly
      ? undefined
      : db.prepare<[number, string, string, number]>(
          "INSERT INTO contacts (scope, contact, keys, updated_at) VALUES (?, ?, ?, ?) " +
            "ON CONFLICT (scope, contact) DO UPDATE SET keys = excluded.keys, updated_at = excluded.updated_at",
        );
    return {
      file,
      get(contact) {
        const row = select.get(scope, contact);
        return row ? (JSON.parse(row.keys) as WrittenKeys) : undefined;
      },
      put(contact, keys) {
        try {
          upsert?.run(scope, contact, JSON.stringify(keys), Date.now());
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

/** Emails seen in this run, on a temporary on-disk database (deleted on close) so 1M rows cost no heap. */
export interface SeenSet {
  /** Records the row and returns the line of an earlier row with this contact, if any. */
  see(contact: string, line: number): number | undefined;
  close(): void;
}

export function createSeenSet(): SeenSet {
  const db = new Database("");
  db.exec("CREATE TABLE seen (contact TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID");
  const select = db.prepare<[string], { line: number }>("SELECT line FROM seen WHERE contact = ?");
  const upsert = db.prepare<[string, number]>(
    "INSERT INTO seen (contact, line) VALUES (?, ?) ON CONFLICT (contact) DO UPDATE SET line = excluded.line",
  );
  return {
    see(contact, line) {
      const earlier = select.get(contact)?.line;
      upsert.run(contact, line);
      return earlier;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
