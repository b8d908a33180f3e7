import type { CrispDataValue } from "@crisp-data/core";

/** Custom data as the page reads it: own properties only, so `__proto__` or `constructor` are plain keys. */
export type OwnData = Record<string, CrispDataValue>;

const has = (object: object, key: string): boolean => Object.hasOwn(object, key);

/** Sets `key` as an own, enumerable property: `object[key] = value` would change the prototype for `__proto__`. */
export function setOwn(target: OwnData, key: string, value: CrispDataValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy holding only `source`'s own enumerable properties. */
export function copyOwn(source: Readonly<Record<string, unknown>>): OwnData {
  const out: OwnData = {};
  for (const key of Object.keys(source)) setOwn(out, key, source[key] as CrispDataValue);
  return out;
}

/** The value of an own property, `undefined` for anything inherited (`constructor`, `toString`…). */
export function getOwn(source: OwnData, key: string): CrispDataValue | undefined {
  return has(source, key) ? source[key] : undefined;
}
