import type { CrispDataErrorCode } from "./errors";
import type { CrispDataValue } from "./types";

/** Our caps: Crisp publishes none, and silently truncating a user's data would be worse than refusing it. */
export const MAX_VALUE_LENGTH = 500;
export const MAX_KEYS = 100;

/** What `$crisp` and the REST API receive for a value: `""` deletes the key. */
export type CrispWireValue = CrispDataValue;

/**
 * The wire form of a value (`null`/`undefined` become `""`, which deletes), or the reason it is refused.
 * Returns an object only on failure so the common path allocates nothing.
 */
export function toWireValue(value: unknown): CrispWireValue | { readonly error: CrispDataErrorCode } {
  if (value == null) return "";
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : { error: "invalid_value" };
  if (typeof value === "string") return value.length <= MAX_VALUE_LENGTH ? value : { error: "invalid_value" };
  return { error: "invalid_value" };
}
