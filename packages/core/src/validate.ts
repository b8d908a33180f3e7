import { CrispDataError, type CrispDataIssue } from "./errors";
import { KEY_PATTERN } from "./keys";
import { type CrispWireValue, MAX_KEYS, toWireValue } from "./values";

/** The usable part of an input and what was wrong with the rest. */
export interface ValidatedInput {
  /** Valid entries in input order, values in wire form (`""` = delete). */
  readonly entries: Map<string, CrispWireValue>;
  readonly issues: CrispDataIssue[];
}

/**
 * Splits any input into valid entries and issues, never throwing: callers decide whether a problem is fatal
 * (`client.set`, the REST client) or reported (`source.set`). Shared by the browser client, the REST client
 * and the emulator so all three agree on what Crisp accepts.
 */
export function validateInput(input: unknown): ValidatedInput {
  const entries = new Map<string, CrispWireValue>();
  const issues: CrispDataIssue[] = [];
  if (input == null) return { entries, issues };
  if (typeof input !== "object" || Array.isArray(input)) {
    issues.push({ key: "", code: "invalid_value" });
    return { entries, issues };
  }
  for (const [key, value] of Object.entries(input)) {
    const wire = toWireValue(value);
    if (!KEY_PATTERN.test(key)) issues.push({ key, code: "invalid_key" });
    else if (wire === undefined) issues.push({ key, code: "invalid_value" });
    else if (entries.size >= MAX_KEYS) issues.push({ key, code: "too_many_keys" });
    else entries.set(key, wire);
  }
  return { entries, issues };
}

/** Like `validateInput`, but any issue throws a `CrispDataError` naming every key at fault. */
export function validateInputStrict(input: unknown): Map<string, CrispWireValue> {
  const { entries, issues } = validateInput(input);
  if (issues.length) throw new CrispDataError(issues);
  return entries;
}
