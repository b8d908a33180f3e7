import type { CrispDataValue } from "@crisp-data/core";
import { valueDigest } from "./hash";
import type { WrittenKeys } from "./state";

/** What one row asks of its contact, given what this tool wrote to it before. */
export interface ContactPlan {
  /** Every key of the row with the digest of its value: the record to keep once written. */
  readonly keys: WrittenKeys;
  readonly set: Record<string, CrispDataValue>;
  readonly deleted: string[];
}

/**
 * Compares a row with what this tool wrote. Only keys whose value changed are set, and only keys this tool wrote
 * and the row no longer has are deleted: a key set by the app or an operator is never in `written`, so never
 * touched.
 *
 * `inFlight` is the record of an earlier row of this run for the same contact whose write has not finished: it
 * may still fail, so the row is sent whole, and deletes cover what either may have written.
 */
export function planContact(
  data: Readonly<Record<string, CrispDataValue>>,
  written: WrittenKeys | undefined,
  inFlight: WrittenKeys | undefined,
): ContactPlan {
  const keys: Record<string, string> = {};
  const set: Record<string, CrispDataValue> = {};
  for (const [key, value] of Object.entries(data)) {
    const digest = valueDigest(value);
    keys[key] = digest;
    if (inFlight || written?.[key] !== digest) set[key] = value;
  }
  const deleted: string[] = [];
  for (const previous of [written, inFlight]) {
    for (const key of Object.keys(previous ?? {})) {
      if (!(key in keys) && !deleted.includes(key)) deleted.push(key);
    }
  }
  return { keys, set, deleted };
}
