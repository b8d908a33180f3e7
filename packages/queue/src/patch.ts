import type { CrispWireValue } from "@crisp-data/core";

/** Marker fields of a patch hash; `~` cannot start a valid data key, so they never clash with one. */
export const REPLACE_FIELD = "~replace";
export const NICKNAME_FIELD = "~nickname";

/** A decoded in-flight patch: `null` deletes a key; `replace` makes the map exactly the set keys. */
export interface DecodedPatch {
  replace: boolean;
  /** The nickname of the latest update that gave one: used if the contact has to be created. */
  nickname?: string;
  data: Record<string, string | number | boolean | null>;
}

/** Field/value pairs for the enqueue script: each value as JSON, `""` (a deletion) included. */
export function encodeEntries(entries: ReadonlyMap<string, CrispWireValue>): string[] {
  const args: string[] = [];
  for (const [key, value] of entries) args.push(key, JSON.stringify(value));
  return args;
}

/** The `HGETALL` reply of an in-flight patch as REST client input (`""` becomes `null`, which deletes). */
export function decodePatch(flat: readonly string[]): DecodedPatch {
  const entries: [string, string | number | boolean | null][] = [];
  let replace = false;
  let nickname: string | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const field = flat[i] as string;
    const raw = flat[i + 1] as string;
    if (field === REPLACE_FIELD) {
      replace = raw === "1";
      continue;
    }
    if (field === NICKNAME_FIELD) {
      nickname = raw;
      continue;
    }
    if (field.startsWith("~")) continue;
    const value: unknown = JSON.parse(raw);
    if (value === "" || value === null) entries.push([field, null]);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      entries.push([field, value]);
  }
  // Object.fromEntries defines own properties, so a valid key such as `__proto__` is kept, not fed to a setter.
  const data = Object.fromEntries(entries);
  return nickname === undefined ? { replace, data } : { replace, nickname, data };
}

/** Whether there is anything to send: a replace always is (`{}` clears), a merge only with at least one key. */
export function hasWork(patch: DecodedPatch): boolean {
  return patch.replace || Object.keys(patch.data).length > 0;
}
