import { CrispDataError, type CrispDataIssue } from "./errors";
import { KEY_PATTERN } from "./keys";
import type { CrispUser } from "./types";
import { type CrispWireValue, MAX_KEYS, toWireValue } from "./values";

/** The usable part of an input and what was wrong with the rest. */
export interface ValidatedInput {
  /** Valid entries in input order, values in wire form (`""` = delete). */
  readonly entries: Map<string, CrispWireValue>;
  readonly issues: CrispDataIssue[];
}

/**
 * True for an object literal or `Object.create(null)`, from any realm (an iframe's too): a `Map`, `Date`, boxed
 * string, array or class instance would otherwise be read as a few odd keys or none.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Splits any input into valid entries and issues, never throwing: callers decide whether a problem is fatal
 * (`client.set`, the REST client) or reported (`source.set`). Shared by the browser client, the REST client
 * and the emulator so all three agree on what Crisp accepts. An input that is not a plain object, or whose
 * properties throw when read (a hostile getter or Proxy), is one `invalid_input` issue and no entries.
 */
export function validateInput(input: unknown): ValidatedInput {
  const entries = new Map<string, CrispWireValue>();
  const issues: CrispDataIssue[] = [];
  try {
    if (input == null) return { entries, issues };
    if (!isPlainObject(input)) throw 0;
    for (const [key, value] of Object.entries(input)) {
      const wire = toWireValue(value);
      if (!KEY_PATTERN.test(key)) issues.push({ key, code: "invalid_key" });
      else if (wire === undefined) issues.push({ key, code: "invalid_value" });
      else if (entries.size >= MAX_KEYS) issues.push({ key, code: "too_many_keys" });
      else entries.set(key, wire);
    }
  } catch {
    entries.clear();
    issues.splice(0, issues.length, { key: "", code: "invalid_input" });
  }
  return { entries, issues };
}

/** Like `validateInput`, but any issue throws a `CrispDataError` naming every key at fault. */
export function validateInputStrict(input: unknown): Map<string, CrispWireValue> {
  const { entries, issues } = validateInput(input);
  if (issues.length) throw new CrispDataError(issues);
  return entries;
}

const userFieldCaps = { email: 254, nickname: 500, phone: 500, emailSignature: 500, tokenId: 500 } as const;

/**
 * What is wrong with a user passed to `identify`: `id` must be a non-empty string, and every other field a
 * non-empty string within its cap when present (`undefined` is absent). A non-object is `invalid_input`.
 */
export function validateUser(user: unknown): CrispDataIssue[] {
  const issues: CrispDataIssue[] = [];
  try {
    if (user === null) return issues;
    if (!isPlainObject(user)) throw 0;
    const fields = user as Partial<Record<keyof CrispUser, unknown>>;
    if (typeof fields.id !== "string" || !fields.id) issues.push({ key: "id", code: "invalid_user" });
    for (const [field, cap] of Object.entries(userFieldCaps)) {
      const value = fields[field as keyof CrispUser];
      if (value !== undefined && (typeof value !== "string" || !value || value.length > cap)) {
        issues.push({ key: field, code: "invalid_user" });
      }
    }
  } catch {
    issues.splice(0, issues.length, { key: "", code: "invalid_input" });
  }
  return issues;
}
