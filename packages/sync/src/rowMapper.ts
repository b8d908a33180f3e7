import { CrispDataError, MAX_KEYS, normalizeKey } from "@crisp-data/core";
import { CrispSyncError } from "./errors";
import type { ColumnType } from "./types";
import { convertValue, normalizeEmail } from "./values";

/** A source row: its line (or row number) and its cells, by column name, in column order. */
export interface SourceRow {
  readonly line: number;
  readonly cells: ReadonlyArray<readonly [column: string, value: unknown]>;
}

/** A row that can be written. */
export interface ContactRow {
  readonly line: number;
  readonly email: string;
  readonly nickname: string | undefined;
  readonly data: Readonly<Record<string, string | number | boolean>>;
}

export type MappedRow = { ok: true; contact: ContactRow } | { ok: false; key?: string; message: string };

type Role = { role: "email" } | { role: "nickname" } | { role: "key"; key: string };

export interface RowMapperOptions {
  emailColumn: string;
  nicknameColumn?: string | undefined;
  types?: Readonly<Record<string, ColumnType>> | undefined;
}

export interface RowMapper {
  /**
   * Refuses a set of columns that cannot be mapped: two that normalise to the same key (naming both), a label
   * with nothing left once normalised, or (with `requireEmail`) no email column.
   */
  checkColumns(columns: readonly string[], requireEmail: boolean): void;
  map(row: SourceRow): MappedRow;
}

/** Maps source columns to the email, the nickname and custom-data keys (`"Signup Date"` → `signup_date`). */
export function createRowMapper(options: RowMapperOptions): RowMapper {
  const emailKey = safeNormalize(options.emailColumn);
  const nicknameKey = options.nicknameColumn === undefined ? undefined : safeNormalize(options.nicknameColumn);
  const types = new Map<string, ColumnType>();
  for (const [name, type] of Object.entries(options.types ?? {})) {
    const key = safeNormalize(name);
    if (key === undefined) throw new CrispSyncError("usage", "--types", `--types names no valid column "${name}".`);
    types.set(key, type);
  }
  const roles = new Map<string, Role>();
  // Column lists already checked (NDJSON rows usually repeat the same keys).
  const checked = new Set<string>();

  function roleOf(column: string): Role {
    let role = roles.get(column);
    if (role) return role;
    const normalized = safeNormalize(column);
    if (column === options.emailColumn || (normalized !== undefined && normalized === emailKey)) {
      role = { role: "email" };
    } else if (
      options.nicknameColumn !== undefined &&
      (column === options.nicknameColumn || (normalized !== undefined && normalized === nicknameKey))
    ) {
      role = { role: "nickname" };
    } else if (normalized === undefined) {
      throw new CrispSyncError(
        "columns",
        column,
        `Column ${JSON.stringify(column)} has no letter or digit to make a custom-data key of: rename it.`,
      );
    } else {
      role = { role: "key", key: normalized };
    }
    roles.set(column, role);
    return role;
  }

  function checkColumns(columns: readonly string[], requireEmail: boolean): void {
    const signature = columns.join("\u0000");
    if (checked.has(signature)) return;
    const owners = new Map<string, string>();
    let hasEmail = false;
    for (const column of columns) {
      const role = roleOf(column);
      if (role.role === "email") hasEmail = true;
      const slot = role.role === "key" ? role.key : `\u0000${role.role}`;
      const first = owners.get(slot);
      if (first !== undefined) {
        const what = role.role === "key" ? `the key "${role.key}"` : `the ${role.role}`;
        throw new CrispSyncError(
          "columns",
          column,
          `Columns ${JSON.stringify(first)} and ${JSON.stringify(column)} both map to ${what}: rename one (in SQL, with AS).`,
        );
      }
      owners.set(slot, column);
    }
    if (requireEmail && !hasEmail) {
      throw new CrispSyncError(
        "columns",
        options.emailColumn,
        `No column ${JSON.stringify(options.emailColumn)} for the email among ${columns.map((c) => JSON.stringify(c)).join(", ")}: pass --email-column.`,
      );
    }
    if (checked.size < 64) checked.add(signature);
  }

  function map(row: SourceRow): MappedRow {
    let email: string | undefined;
    let rawEmail: unknown;
    let nickname: string | undefined;
    const data: Record<string, string | number | boolean> = {};
    let count = 0;
    for (const [column, raw] of row.cells) {
      const role = roleOf(column);
      if (role.role === "email") {
        rawEmail = raw;
        email = normalizeEmail(raw);
      } else if (role.role === "nickname") {
        const name = raw === null || raw === undefined ? "" : String(raw).trim();
        if (name) nickname = name;
      } else {
        const converted = convertValue(raw, types.get(role.key));
        if (converted.error !== undefined) {
          return { ok: false, key: role.key, message: `value of "${role.key}" ${converted.error}` };
        }
        if (converted.value !== undefined) {
          data[role.key] = converted.value;
          count++;
        }
      }
    }
    if (email === undefined) {
      const missing = rawEmail === undefined || rawEmail === null || rawEmail === "";
      return { ok: false, key: options.emailColumn, message: missing ? "no email" : "invalid email" };
    }
    if (count > MAX_KEYS) return { ok: false, message: `${count} keys: at most ${MAX_KEYS} per contact` };
    return { ok: true, contact: { line: row.line, email, nickname, data } };
  }

  return { checkColumns, map };
}

function safeNormalize(label: string): string | undefined {
  try {
    return normalizeKey(label);
  } catch (error) {
    if (error instanceof CrispDataError) return undefined;
    throw error;
  }
}
