import type { CrispDataValue } from "@crisp-data/core";

/**
 * Campaign audience conditions, as in Crisp's campaign targeting: custom-data conditions such as
 * `plan_price > 50` combined (AND) with built-in fields such as `country = FR`.
 *
 * Syntax: one condition per line, or several joined by `AND` / `&&` (any case). A condition is
 * `<field> <operator> <value>`:
 * - field: `country`, `email` or `nickname` (built-ins, any case); `data.<key>` or a bare `<key>` for custom data
 *   (use `data.country` for a custom key that shadows a built-in);
 * - operator: `=` (also `==`), `!=`, `>`, `<`, `>=`, `<=`, `contains`;
 * - value: the rest of the condition, trimmed; wrap it in `"…"` or `'…'` to keep outer spaces or an `AND`.
 *
 * Semantics, chosen to match what an operator expects from a targeting form:
 * - Numbers: a value is numeric when it is a number, or a string that is a plain decimal literal (`50`, `-1.5`,
 *   `2e3`; not `""`, `0x10`, `Infinity`). `=`/`!=` compare numerically when both sides are numeric
 *   (`"50.0" = 50`); `>`, `<`, `>=`, `<=` match only when both sides are numeric, never by string order
 *   (so `"100" > "50"` holds and `"abc" > 5` never matches).
 * - Booleans: a boolean matches `true`/`false` (any case); a boolean is never numeric or ordered.
 * - Strings: `=`/`!=` and `contains` are case-insensitive (`plan = pro` matches `Pro`, `country = fr` matches
 *   `FR`). `contains` works on the text form of any value (`50` contains `5`, `true` contains `ru`).
 * - Missing values (key not set, built-in `null`): `!=` matches (it is the negation of `=`), every other operator
 *   does not.
 * - All conditions must hold (AND). No condition at all means everyone.
 */

export const OPERATORS = ["=", "!=", ">", "<", ">=", "<=", "contains"] as const;
export type Operator = (typeof OPERATORS)[number];

export const BUILT_IN_FIELDS = ["country", "email", "nickname"] as const;
export type BuiltInField = (typeof BUILT_IN_FIELDS)[number];

export type FieldRef = { kind: "builtin"; name: BuiltInField } | { kind: "data"; key: string };

export interface Condition {
  field: FieldRef;
  operator: Operator;
  value: string;
  /** The condition as the user wrote it, for display. */
  source: string;
}

export interface ParsedAudience {
  conditions: Condition[];
  /** One message per condition that could not be read; a query with errors should not be evaluated. */
  errors: string[];
}

/** What a condition can read: a contact with the country of its latest session. */
export interface AudienceSubject {
  email: string | null;
  nickname: string | null;
  country: string | null;
  data: Readonly<Record<string, CrispDataValue>>;
}

// A quoted value is matched first so that an `AND` inside quotes does not split the condition.
const JOINER = /("[^"]*"|'[^']*')|\s+AND\s+|&&/gi;
const FIELD = /^\s*([^\s=<>!]+)\s*/;
const OPERATOR = /^(>=|<=|!=|==|=|>|<|contains(?=\s|$))/i;
// A plain decimal literal: what a person types as a number. Rejects "", " ", "0x10", "Infinity", "1_000".
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

export function parseAudience(query: string): ParsedAudience {
  const conditions: Condition[] = [];
  const errors: string[] = [];
  for (const raw of query.split(/\r?\n/).flatMap(splitJoined)) {
    const source = raw.trim();
    if (!source) continue;
    const parsed = parseCondition(source);
    if (typeof parsed === "string") errors.push(parsed);
    else conditions.push(parsed);
  }
  return { conditions, errors };
}

function splitJoined(line: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of line.matchAll(JOINER)) {
    if (match[1] !== undefined) continue;
    pieces.push(line.slice(start, match.index));
    start = match.index + match[0].length;
  }
  pieces.push(line.slice(start));
  return pieces;
}

function parseCondition(source: string): Condition | string {
  const field = FIELD.exec(source);
  const name = field?.[1];
  if (!field || !name) return `"${source}": expected <field> <operator> <value>, e.g. plan_price > 50`;
  const rest = source.slice(field[0].length);
  const op = OPERATOR.exec(rest);
  if (!op?.[1]) return `"${source}": unknown operator, use one of ${OPERATORS.join(" ")}`;
  const value = unquote(rest.slice(op[1].length).trim());
  if (value === undefined) return `"${source}": missing a value after ${op[1]}`;
  const ref = fieldRef(name);
  if (!ref)
    return `"${source}": "${name}" is not a field, use data.<key>, a custom key or ${BUILT_IN_FIELDS.join(", ")}`;
  const lowered = op[1].toLowerCase();
  const operator: Operator = lowered === "==" ? "=" : (lowered as Operator);
  return { field: ref, operator, value, source };
}

function unquote(value: string): string | undefined {
  const quote = value[0];
  if (value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote)) return value.slice(1, -1);
  return value ? value : undefined;
}

function fieldRef(name: string): FieldRef | undefined {
  if (name.startsWith("data.")) {
    const key = name.slice("data.".length);
    return key ? { kind: "data", key } : undefined;
  }
  const builtin = BUILT_IN_FIELDS.find((field) => field === name.toLowerCase());
  return builtin ? { kind: "builtin", name: builtin } : { kind: "data", key: name };
}

/** The field as a user would write it, e.g. `country` or `data.plan`. */
export function fieldLabel(field: FieldRef): string {
  return field.kind === "builtin" ? field.name : `data.${field.key}`;
}

export function matchesAll(subject: AudienceSubject, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => matches(subject, condition));
}

export function matches(subject: AudienceSubject, condition: Condition): boolean {
  const stored = read(subject, condition.field);
  if (stored === undefined) return condition.operator === "!=";
  const wanted = condition.value;
  switch (condition.operator) {
    case "=":
      return equals(stored, wanted);
    case "!=":
      return !equals(stored, wanted);
    case "contains":
      return String(stored).toLowerCase().includes(wanted.toLowerCase());
    default:
      return ordered(stored, wanted, condition.operator);
  }
}

function read(subject: AudienceSubject, field: FieldRef): CrispDataValue | undefined {
  if (field.kind === "builtin") return subject[field.name] ?? undefined;
  // hasOwn: a key such as `constructor` must not read the prototype.
  return Object.hasOwn(subject.data, field.key) ? subject.data[field.key] : undefined;
}

export function asNumber(value: CrispDataValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && NUMERIC.test(value.trim())) {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function equals(stored: CrispDataValue, wanted: string): boolean {
  if (typeof stored === "boolean") return String(stored) === wanted.toLowerCase();
  const left = asNumber(stored);
  const right = asNumber(wanted);
  if (left !== undefined && right !== undefined) return left === right;
  return String(stored).toLowerCase() === wanted.toLowerCase();
}

function ordered(stored: CrispDataValue, wanted: string, operator: Operator): boolean {
  const left = asNumber(stored);
  const right = asNumber(wanted);
  if (left === undefined || right === undefined) return false;
  if (operator === ">") return left > right;
  if (operator === "<") return left < right;
  if (operator === ">=") return left >= right;
  return left <= right;
}
