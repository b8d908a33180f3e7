import { MAX_VALUE_LENGTH } from "@crisp-data/core";
import { CrispSyncError } from "./errors";
import type { ColumnType } from "./types";

const COLUMN_TYPES: readonly ColumnType[] = ["string", "number", "boolean"];
const TRUE = /^(true|yes|y|1)$/i;
const FALSE = /^(false|no|n|0)$/i;

/** One cell turned into a value: `undefined` means the key is absent; `error` says why the row is skipped. */
export type Converted = { value: string | number | boolean | undefined; error?: undefined } | { error: string };

/**
 * A source value as custom data. An empty cell or a NULL is absent; dates become ISO strings; strings are coerced
 * only when a type is declared. Messages name the problem, never the value (it may be personal data).
 */
export function convertValue(raw: unknown, type: ColumnType | undefined): Converted {
  if (raw === null || raw === undefined || raw === "") return { value: undefined };
  let value: unknown = raw;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { error: "is an invalid date" };
    value = value.toISOString();
  } else if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      return { error: "is an integer too large for a number" };
    }
    value = Number(value);
  }
  if (type) return coerce(value, type);
  return check(value);
}

function coerce(value: unknown, type: ColumnType): Converted {
  if (type === "string") {
    return typeof value === "number" || typeof value === "boolean" ? check(String(value)) : check(value);
  }
  if (type === "number") {
    if (typeof value === "string") {
      const text = value.trim();
      const number = Number(text);
      return text !== "" && Number.isFinite(number) ? { value: number } : { error: "is not a number" };
    }
    return typeof value === "number" ? check(value) : { error: "is not a number" };
  }
  if (typeof value === "boolean") return { value };
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
  if (text !== undefined && TRUE.test(text)) return { value: true };
  if (text !== undefined && FALSE.test(text)) return { value: false };
  return { error: "is not a boolean (true/false, yes/no, 1/0)" };
}

function check(value: unknown): Converted {
  if (typeof value === "boolean") return { value };
  if (typeof value === "number") return Number.isFinite(value) ? { value } : { error: "is not a finite number" };
  if (typeof value === "string") {
    return value.length <= MAX_VALUE_LENGTH ? { value } : { error: `is longer than ${MAX_VALUE_LENGTH} characters` };
  }
  return { error: "is not a string, number or boolean" };
}

/**
 * Parses `--types plan_price=number,is_trialing=boolean`.
 * @throws CrispSyncError (`usage`, option `--types`) naming the entry at fault.
 */
export function parseTypes(spec: string): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const entry of spec.split(",")) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const [name, type, extra] = trimmed.split("=").map((part) => part.trim());
    if (!name || !type || extra !== undefined || !COLUMN_TYPES.includes(type as ColumnType)) {
      throw new CrispSyncError(
        "usage",
        "--types",
        `--types entry "${trimmed}" must be column=string, column=number or column=boolean.`,
      );
    }
    types[name] = type as ColumnType;
  }
  return types;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

/** The email as the state store and Crisp get it (trimmed, lowercase), or `undefined` when it is not one. */
export function normalizeEmail(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}
