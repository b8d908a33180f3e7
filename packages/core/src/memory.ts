import { KEY_PATTERN } from "./keys";
import type { StorageLike } from "./types";
import { MAX_KEYS } from "./values";

/**
 * Whose Crisp session this browser holds, from the previous page: a user id, `null` for an anonymous visitor, or
 * `undefined` when it cannot be known (storage blocked, full, corrupt), which makes a signed-in user's first
 * identity reset the session rather than write into someone else's conversation.
 */
export type SessionOwner = string | null | undefined;

export interface ReloadMemory {
  owner: SessionOwner;
  /** Keys the previous page sent: valid keys only, at most `MAX_KEYS`. */
  keys: string[];
}

/** Records who owns the session and which keys it holds, when that changed. */
export type SaveFn = (owner: SessionOwner, keys: string[]) => void;

/**
 * Reads what the previous page remembered, and returns the `save` of this page (none without storage). Reading
 * proves the storage writable by writing the memory back: a storage that cannot be written could not have
 * recorded the last switch of user, so whatever it says is no longer trusted.
 */
export function openMemory(storage: StorageLike | undefined, storageKey: string): [ReloadMemory, SaveFn?] {
  if (!storage) return [{ owner: null, keys: [] }];
  let saved: string | undefined;
  const save: SaveFn = (owner, keys) => {
    const text = owner === undefined ? "?" : JSON.stringify({ user: owner, keys });
    if (text !== saved) remember(storage, storageKey, text);
    saved = text;
  };
  try {
    const text = storage.getItem(storageKey) ?? '{"user":null,"keys":[]}';
    storage.setItem(storageKey, text);
    const { user, keys } = JSON.parse(text);
    if ((user === null || typeof user === "string") && Array.isArray(keys)) {
      const valid = keys.filter((key): key is string => typeof key === "string" && KEY_PATTERN.test(key));
      return [{ owner: user, keys: valid.slice(0, MAX_KEYS) }, save];
    }
  } catch {
    // Unreadable or unwritable: the owner is unknown.
  }
  return [{ owner: undefined, keys: [] }, save];
}

/**
 * Records the owner and the keys Crisp holds. When that fails, the stale memory is replaced by one that reads as
 * "owner unknown" (or removed), so the next page never trusts an owner this page could not record.
 */
function remember(storage: StorageLike, storageKey: string, text: string): void {
  try {
    storage.setItem(storageKey, text);
  } catch {
    try {
      storage.removeItem(storageKey);
    } catch {}
    try {
      storage.setItem(storageKey, "?");
    } catch {}
  }
}
