/** The part of `Storage` the client uses; pass your own (or `false`) through `createCrispData({ persist })`. */
export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** What survives a reload: whose Crisp session this browser holds, and which keys we put in it. */
export interface RememberedSession {
  user: string | null;
  keys: string[];
}

/** Reads and writes the remembered session for one website; a broken or full storage is treated as empty. */
export function persistence(storage: StorageLike | undefined, websiteId: string | undefined) {
  const key = `crisp-data:${websiteId ?? "default"}`;
  return {
    read(): RememberedSession | undefined {
      try {
        const value = JSON.parse(storage?.getItem(key) ?? "null") as RememberedSession | null;
        if (value && Array.isArray(value.keys)) return value;
      } catch {
        // Unreadable state is no state: the worst case is one redundant push.
      }
      return undefined;
    },
    write(user: string | null, keys: string[]) {
      try {
        storage?.setItem(key, JSON.stringify({ user, keys }));
      } catch {
        // Quota or privacy-mode errors must never break the app; we only lose reload detection.
      }
    },
  };
}
