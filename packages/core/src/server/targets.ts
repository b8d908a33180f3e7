import { CrispDataError, type CrispDataValue, type CrispWireValue } from "@crisp-data/core";

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
 * How messages name a target: the website and a short hash of the session or people id. A people id is often an
 * email, and error messages end up in logs, which must not hold personal data.
 */
export function describeTarget(target: CrispTarget): string {
  return target.type === "session"
    ? `session #${shortHash(target.sessionId)} of website ${target.websiteId}`
    : `contact #${shortHash(target.peopleId)} of website ${target.websiteId}`;
}

/** FNV-1a, 32 bits: enough to tell targets apart in a log; no import, so it runs in edge runtimes too. */
export function shortHash(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * An id that travels as one URL path segment. `encodeURIComponent` leaves `.` and `..`, which URL resolution
 * turns into "this folder" and "the parent": peopleId `..` would PATCH the people list. A `/` (raw or `%2F`) could
 * split the segment at any proxy that decodes paths. The message never quotes the id: it may be an email.
 */
export function checkId(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") return badId(name, "must be a non-empty string");
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // Not percent-encoded text: the raw value is what travels (encoded once more).
  }
  for (const form of [value, decoded]) {
    if (form === "." || form === ".." || form.includes("/")) return badId(name, 'must not be "." or ".." or hold "/"');
  }
  return value;
}

/**
 * The contact target a write to `websiteId`/`peopleId` goes to, with both ids checked as the REST client checks them.
 * For code that queues writes before they reach a client, such as `@crisp-data/queue`.
 * @throws CrispDataError (`invalid_value`, naming the id) synchronously.
 */
export function contactTarget(websiteId: string, peopleId: string): CrispTarget & { type: "contact" } {
  return { type: "contact", websiteId: checkId(websiteId, "websiteId"), peopleId: checkId(peopleId, "peopleId") };
}

/** Like `contactTarget`, for a conversation's session data. */
export function sessionTarget(websiteId: string, sessionId: string): CrispTarget & { type: "session" } {
  return { type: "session", websiteId: checkId(websiteId, "websiteId"), sessionId: checkId(sessionId, "sessionId") };
}

/**
 * The nickname of `setContactData`'s options, checked: absent, or a non-empty string.
 * @throws CrispDataError (`invalid_value`, key `nickname`) synchronously.
 */
export function checkNickname(options: { nickname?: string } | undefined): string | undefined {
  const nickname = options?.nickname;
  if (nickname === undefined) return undefined;
  if (typeof nickname !== "string" || nickname.trim() === "") {
    throw new CrispDataError(
      [{ key: "nickname", code: "invalid_value" }],
      "[crisp-data] nickname must be a non-empty string.",
    );
  }
  return nickname;
}

function badId(name: string, rule: string): never {
  throw new CrispDataError([{ key: name, code: "invalid_value" }], `[crisp-data] ${name} ${rule}.`);
}

/** Crisp's people routes accept an email as people id; only those can be created on a 404. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value);
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
