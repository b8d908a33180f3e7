import { type CrispDataIssue, validateInput } from "@crisp-data/core";
import type { DataChanges } from "../state";

/** A handler's answer, sent in Crisp's envelope by the pipeline. */
export interface RestAnswer {
  status: number;
  reason: string;
  data?: unknown;
}

export const resolved = (data: unknown = {}): RestAnswer => ({ status: 200, reason: "resolved", data });
export const notFound = (message: string): RestAnswer => ({ status: 404, reason: "not_found", data: { message } });
export const invalidData = (message: string, issues?: readonly CrispDataIssue[]): RestAnswer => ({
  status: 400,
  reason: "invalid_data",
  data: issues ? { message, issues } : { message },
});

/**
 * Checks a `data` map with the same rules as the crisp-data clients (deliberately stricter than Crisp about key
 * case). Returns the changes in wire form (`""` deletes) or the 400 answer naming every key at fault.
 */
export type CheckedData = { ok: true; changes: DataChanges } | { ok: false; error: RestAnswer };

export function checkData(input: unknown): CheckedData {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, error: invalidData("data must be an object of key/value pairs") };
  }
  const { entries, issues } = validateInput(input);
  if (issues.length) {
    const list = issues.map((issue) => `${JSON.stringify(issue.key)} (${issue.code})`).join(", ");
    return {
      ok: false,
      error: invalidData(
        `rejected ${list}: keys are 1-50 characters of a-z, 0-9, _ and -; values are strings (at most 500 characters), finite numbers or booleans; at most 100 keys`,
        issues,
      ),
    };
  }
  return { ok: true, changes: entries };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: unknown): value is string {
  return typeof value === "string" && value.length <= 254 && EMAIL.test(value.trim());
}
