import { type CrispDataIssue, normalizeKey } from "@crisp-data/core";

/**
 * The library's error in words, built from `error.issues` (the key and the rule), so the demo reads the same in
 * production builds, where core keeps its messages short (`[crisp-data] Rejected [{"key":…}]`).
 */
export function describeIssue(issue: CrispDataIssue): string {
  const key = JSON.stringify(issue.key);
  switch (issue.code) {
    case "invalid_key": {
      const hint = suggestion(issue.key);
      return `${key} is not a valid key: use 1 to 50 lowercase letters, digits, _ or -.${hint}`;
    }
    case "invalid_value":
      return `The value of ${key} cannot be sent: use text (at most 500 characters), a number or true/false.`;
    case "too_many_keys":
      return `${key} is one key too many: Crisp takes at most 100 keys.`;
    case "invalid_user":
      return "The signed-in user is not valid: it needs an id.";
    case "push_failed":
      return `The chat box refused ${key}.`;
    default:
      return `Crisp refused ${key}.`;
  }
}

/** Every issue of the error, one sentence each; empty when there is no error. */
export function describeIssues(error: { issues: readonly CrispDataIssue[] } | null | undefined): string[] {
  return error ? error.issues.map(describeIssue) : [];
}

function suggestion(key: string): string {
  try {
    return ` Try ${JSON.stringify(normalizeKey(key))}.`;
  } catch {
    return ""; // Nothing usable is left of it (e.g. "!!!").
  }
}
