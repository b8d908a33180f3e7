import type { CrispDataValue, CrispWireValue } from "@crisp-data/core";

/** What a write is about: one conversation's data or one contact's data. */
export type CrispTarget =
  | { readonly type: "session"; readonly websiteId: string; readonly sessionId: string }
  | { readonly type: "contact"; readonly websiteId: string; readonly peopleId: string };

/** A stable map key per target; NUL cannot appear in ids that travel in a URL path. */
export function targetKey(target: CrispTarget): string {
  return target.type === "session"
    ? `s\u0000${target.websiteId}\u0000${target.sessionId}`
    : `c\u0000${target.websiteId}\u0000${target.peopleId}`;
}

/**
 * The map Crisp should hold after applying `patch` to `current` (`""` deletes). Built through a `Map` and
 * `Object.fromEntries` (own data properties), so a valid key such as `__proto__` is kept, not fed to a setter.
 */
export function applyPatch(
  current: Readonly<Record<string, unknown>>,
  patch: ReadonlyMap<string, CrispWireValue>,
): Record<string, CrispDataValue> {
  const next = new Map<string, CrispDataValue>();
  for (const [key, value] of Object.entries(current)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") next.set(key, value);
  }
  for (const [key, value] of patch) {
    if (value === "") next.delete(key);
    else next.set(key, value);
  }
  return Object.fromEntries(next);
}

/** The set keys of a patch as a plain object (deletions dropped). */
export function setKeys(patch: ReadonlyMap<string, CrispWireValue>): Record<string, CrispDataValue> {
  return applyPatch({}, patch);
}

export function hasDeletes(patch: ReadonlyMap<string, CrispWireValue>): boolean {
  for (const value of patch.values()) if (value === "") return true;
  return false;
}

/** The `data` map inside a GET answer (`{ data: { … } }` for both meta and people data), `{}` when absent. */
export function dataOf(payload: unknown): Record<string, unknown> {
  if (typeof payload === "object" && payload !== null && "data" in payload) {
    const data = (payload as { data: unknown }).data;
    if (typeof data === "object" && data !== null && !Array.isArray(data)) return data as Record<string, unknown>;
  }
  return {};
}
