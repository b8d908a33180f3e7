import { CrispDataError } from "./errors";

/** Crisp's documented key rule, capped at the 50 characters its chat client accepts. */
export const KEY_PATTERN: RegExp = /^[a-z0-9_-]{1,50}$/;

/** True exactly when Crisp accepts `key` as a custom-data key. */
export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * Turns a human label into a valid key: drop accents, lowercase, every run of other characters becomes one `_`,
 * cut to 50, trim `_` at both ends. Idempotent.
 *
 * @example normalizeKey("Order ID") // "order_id"; normalizeKey("Prénom") // "prenom"
 * @throws CrispDataError (`invalid_key`) when nothing is left, e.g. for `"!!!"`.
 */
export function normalizeKey(input: string): string {
  const key = input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .slice(0, 50)
    .replace(/^_+|_+$/g, "");
  if (!key) throw new CrispDataError([{ key: input, code: "invalid_key" }]);
  return key;
}
