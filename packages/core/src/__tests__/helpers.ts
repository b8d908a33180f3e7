import {
  type CrispDataOptions,
  createCrispData,
  type MemoryTransport,
  memoryTransport,
  type StorageLike,
} from "@crisp-data/core";

/** A client over a recording transport, with persistence kept in memory so tests can simulate reloads. */
export function setup(options: CrispDataOptions & { transport?: MemoryTransport } = {}) {
  const transport = options.transport ?? memoryTransport();
  const client = createCrispData({ ...options, transport });
  return { transport, client };
}

/** Lets the client's end-of-turn microtask run. */
export const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A browser storage that lives in memory, shared by the "pages" of a reload test. */
export function memoryStorage(): StorageLike & { dump(): Record<string, string> } {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    dump: () => Object.fromEntries(map),
  };
}
