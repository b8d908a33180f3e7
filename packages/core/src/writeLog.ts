import type { CrispWireValue } from "./values";

/** One contributor's write of one key; `seq` orders writes across contributors, so the latest wins. */
export interface Write {
  value: CrispWireValue;
  seq: number;
}

/** A contributor (a source, or the client's direct calls): its own writes by key. */
export type Writes = Map<string, Write>;

/**
 * Records `value` for `key` as `writes`' write: the newest, unless `at` gives an earlier place in the order. True
 * when the key now needs sending.
 */
export type WriteFn = (writes: Writes, key: string, value: CrispWireValue, at?: number) => boolean;
/** Forgets `writes`' write of `key`; another contributor's value (if any) wins again. True as for `WriteFn`. */
export type DropFn = (writes: Writes, key: string) => boolean;
/** Forgets `writes`' deletion of `key` once sent, when no other contributor wrote the key: it shadows nothing. */
export type PruneFn = (writes: Writes, key: string) => void;

/**
 * Who wrote which key, and the value that wins for each: the newest write among live contributors (`""` is a
 * deletion that wins the same way). `winners` holds every key's winning non-empty value (what Crisp should hold);
 * `dirty` gets every key whose winner changed or that a contributor asked to delete, and `onChange` runs when a
 * winner changes. Each call costs what the key it touches costs, never the whole log. Returned as functions (not
 * an object) so a minifier can shorten every name.
 */
export function createWriteLog(
  winners: Map<string, CrispWireValue>,
  dirty: Set<string>,
  onChange: () => void,
): [write: WriteFn, drop: DropFn, prune: PruneFn, clear: () => void] {
  let seq = 0;
  // Per key, the contributors holding a write of it: a winner is looked for among a key's writers only.
  const writers = new Map<string, Set<Writes>>();
  const settle = (key: string, deletion: boolean) => {
    let newest: Write | undefined;
    for (const writes of writers.get(key) ?? []) {
      const write = writes.get(key) as Write;
      if (!newest || write.seq > newest.seq) newest = write;
    }
    const value = newest?.value === "" ? undefined : newest?.value;
    const changed = value !== winners.get(key);
    if (changed) {
      if (value === undefined) winners.delete(key);
      else winners.set(key, value);
      onChange();
    }
    // A deletion is planned even when nothing won before: Crisp may hold a key this page never sent.
    if (deletion || changed) dirty.add(key);
    return deletion || changed;
  };
  return [
    (writes, key, value, at = ++seq) => {
      writers.set(key, (writers.get(key) ?? new Set()).add(writes.set(key, { value, seq: at })));
      return settle(key, value === "");
    },
    (writes, key) => {
      writes.delete(key);
      const set = writers.get(key);
      set?.delete(writes);
      // A key nobody writes any more leaves the log: it is bounded by the live keys.
      if (!set?.size) writers.delete(key);
      return settle(key, false);
    },
    (writes, key) => {
      if (writers.get(key)?.size === 1 && writes.get(key)?.value === "") {
        writers.delete(key);
        writes.delete(key);
      }
    },
    () => {
      for (const set of writers.values()) for (const writes of set) writes.clear();
      writers.clear();
      winners.clear();
      dirty.clear();
      onChange();
    },
  ];
}
