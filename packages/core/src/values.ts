import type { CrispDataValue } from "./types";

/** Our caps: Crisp publishes none, and silently truncating a user's data would be worse than refusing it. */
export const MAX_VALUE_LENGTH = 500;
export const MAX_KEYS = 100;

/** What `$crisp` and the REST API receive for a value: `""` deletes the key. */
export type CrispWireValue = CrispDataValue;

/** The wire form of a value (`null`/`undefined` become `""`, which deletes), or `undefined` when it is invalid. */
export function toWireValue(value: unknown): CrispWireValue | undefined {
  if (value == null) return "";
  // `Number.isFinite` is false for anything but a finite number, so it needs no `typeof` guard.
  if (
    typeof value === "boolean" ||
    Number.isFinite(value) ||
    (typeof value === "string" && value.length <= MAX_VALUE_LENGTH)
  ) {
    return value as CrispWireValue;
  }
  return undefined;
}
