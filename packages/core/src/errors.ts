/** Why an input was rejected. `api_error` comes only from `@crisp-data/core/server`. */
export type CrispDataErrorCode =
  | "invalid_key"
  | "invalid_value"
  | "too_many_keys"
  | "invalid_user"
  | "invalid_input"
  | "push_failed"
  | "api_error";

/** One entry at fault: the key (or `""` when the input itself is wrong) and why. */
export interface CrispDataIssue {
  readonly key: string;
  readonly code: CrispDataErrorCode;
}

const hints: Record<CrispDataErrorCode, string> = {
  invalid_key: "keys must be 1-50 characters of a-z, 0-9, _ and - (normalizeKey() turns a label into one)",
  invalid_value:
    'values must be a string (at most 500 characters), a finite number or a boolean; null, undefined or "" delete the key',
  too_many_keys: "send at most 100 keys",
  invalid_user:
    "a user needs a non-empty string id; email (at most 254 characters), nickname, phone, emailSignature and tokenId (at most 500) are non-empty strings when present",
  invalid_input: "pass a plain object (not a Map, array, class instance or primitive) whose properties can be read",
  push_failed: "the chat box threw on this command (Crisp throws on values it refuses unless in safe mode)",
  api_error: "the Crisp REST API refused the request",
};

/**
 * The one error type of crisp-data. `key` is the first key at fault, `issues` lists every one.
 *
 * @example
 * try { client.set({ "Order ID": 1 }) } catch (e) { if (e instanceof CrispDataError) console.log(e.key, e.issues) }
 */
export class CrispDataError extends Error {
  override readonly name: string = "CrispDataError";
  /** The code of the first issue. */
  declare readonly code: CrispDataErrorCode;
  /** The first key at fault (`""` when the input itself is wrong). */
  declare readonly key: string;
  declare readonly issues: readonly CrispDataIssue[];

  constructor(issues: readonly CrispDataIssue[], message?: string) {
    // Production prints the issues as JSON: the same facts in less code than the development wording.
    super(
      message ??
        (process.env.NODE_ENV !== "production" ? describe(issues) : `[crisp-data] Rejected ${JSON.stringify(issues)}`),
    );
    // One assign, `issues` included: the first issue's key and code, with defaults for an empty list.
    Object.assign(this, { key: "", code: "invalid_value" }, issues[0], { issues });
  }
}

/** Development only: every key at fault and how to fix each code. */
function describe(issues: readonly CrispDataIssue[]): string {
  const list = issues.map((issue) => `${JSON.stringify(issue.key)} (${issue.code})`).join(", ");
  const codes = [...new Set(issues.map((issue) => issue.code))];
  return `[crisp-data] Rejected ${list}: ${codes.map((code) => hints[code]).join("; ")}.`;
}
