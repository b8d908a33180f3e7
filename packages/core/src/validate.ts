import { CrispDataError, type CrispDataErrorCode, type CrispDataIssue } from "./errors";
import { KEY_PATTERN } from "./keys";
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
  if (typeof value !== "object" || !value) return false;
  const proto = Object.getPrototypeOf(value);
  return !proto || !Object.getPrototypeOf(proto);
}

/**
 * Reads an input entry by entry, never throwing: each valid entry (value in wire form, `""` = delete) goes to
 * `entry`, each fault to `issue`. `null`/`undefined` is an empty input; anything but a plain object, or one whose
 * properties throw when read (a hostile getter or Proxy), is an `invalid_input` issue after the entries read so far.
 */
export function readInput(
  input: unknown,
  entry: (key: string, value: CrispWireValue) => void,
  issue: (key: string, code: CrispDataErrorCode) => void,
): void {
  try {
    if (input == null) return;
    if (!isPlainObject(input)) throw 0;
    for (const key in input) {
      if (!Object.hasOwn(input, key)) continue;
      const value = toWireValue(input[key]);
      if (!KEY_PATTERN.test(key)) issue(key, "invalid_key");
      else if (value === undefined) issue(key, "invalid_value");
      else entry(key, value);
    }
  } catch {
    issue("", "invalid_input");
  }
}

/**
 * Splits any input into valid entries and issues, never throwing: callers decide whether a problem is fatal
 * (`client.set`, the REST client) or reported (`source.set`). Shared by the browser client, the REST client
 * and the emulator so all three agree on what Crisp accepts. An input that is not a plain object, or whose
 * properties throw when read, is one `invalid_input` issue and no entries.
 */
export function validateInput(input: unknown): ValidatedInput {
  const entries = new Map<string, CrispWireValue>();
  const issues: CrispDataIssue[] = [];
  readInput(
    input,
    (key, value) => {
      if (entries.size >= MAX_KEYS) issues.push({ key, code: "too_many_keys" });
      else entries.set(key, value);
    },
    (key, code) => issues.push({ key, code }),
  );
  if (issues.at(-1)?.code === "invalid_input")
    return { entries: new Map(), issues: [{ key: "", code: "invalid_input" }] };
  return { entries, issues };
}

/** Like `validateInput`, but any issue throws a `CrispDataError` naming every key at fault. */
export function validateInputStrict(input: unknown): Map<string, CrispWireValue> {
  const { entries, issues } = validateInput(input);
  if (issues.length) throw new CrispDataError(issues);
  return entries;
}

/**
 * What is wrong with a user passed to `identify`: `id` must be a non-empty string, and every other field a
 * non-empty string when present (`undefined` is absent), the email at most 254 characters and the rest 500. A
 * user that is not a plain object is `invalid_input`.
 */
export function validateUser(user: unknown): CrispDataIssue[] {
  const issues: CrispDataIssue[] = [];
  try {
    if (user === null) return issues;
    if (!isPlainObject(user)) throw 0;
    for (const key of ["id", "email", "nickname", "phone", "emailSignature", "tokenId"]) {
      const value = user[key];
      if (
        (key === "id" || value !== undefined) &&
        !(typeof value === "string" && value && value.length <= (key === "email" ? 254 : 500))
      ) {
        issues.push({ key, code: "invalid_user" });
      }
    }
  } catch {
    return [{ key: "", code: "invalid_input" }];
  }
  return issues;
}
