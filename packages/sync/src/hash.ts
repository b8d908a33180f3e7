import { createHash } from "node:crypto";

/**
 * The state store's key for a contact: a hash of the normalised email, so the file holds no address in clear.
 * 128 bits: no two contacts of one website collide.
 */
export function emailDigest(email: string): string {
  return createHash("sha256").update(email).digest("base64url").slice(0, 22);
}

/**
 * A 53-bit hash of one value, type included (`"1"` and `1` differ): enough to tell a changed value from an
 * unchanged one, and several times faster than a cryptographic hash on millions of short values. (cyrb53.)
 */
export function valueDigest(value: string | number | boolean): string {
  const text = typeof value === "string" ? `s${value}` : typeof value === "number" ? `n${value}` : `b${value}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** One digest for a whole row's keys and values, whatever their order. */
export function rowDigest(keys: Readonly<Record<string, string>>): string {
  return valueDigest(
    Object.keys(keys)
      .sort()
      .map((key) => `${key}=${keys[key]}`)
      .join("\u0000"),
  );
}
