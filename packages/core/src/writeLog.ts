import type { CrispWireValue } from "./values";

/** One contributor's write of one key; `seq` orders writes across contributors, so the latest wins. */
export interface Write {
  value: CrispWireValue;
  seq: number;
}

/** A contributor (a source, or the client's direct calls): its own writes by key. */
export type Writes = Map<string, Write>;

/**
 * Who wrote which key, and the value that wins for each: the newest write among live contributors (`""` is a
 * deletion that wins the same way). Every operation costs what the keys it touches cost, never the whole log.
 */
export interface WriteLog {
  /** The winning non-empty value of every key: what Crisp should hold. */
  readonly winners: ReadonlyMap<string, CrispWireValue>;
  /** Keys whose winner changed, or that a contributor asked to delete, since the last `takeDirty`. */
  readonly dirty: Set<string>;
  /** Grows whenever a winner changes: the snapshot's data is rebuilt only then. */
  readonly version: number;
  /** Record `value` for `key` as `writes`' write: the newest, unless `at` gives an earlier place in the order. */
  write(writes: Writes, key: string, value: CrispWireValue, at?: number): void;
  /** Forget `writes`' write of `key`; another contributor's value (if any) wins again. */
  drop(writes: Writes, key: string): void;
  /** Forget `writes`' deletion of `key` when no other contributor wrote it: there is nothing left to shadow. */
  prune(writes: Writes, key: string): void;
  /** Forget every write of every contributor. */
  clear(): void;
}

export function createWriteLog(): WriteLog {
  let seq = 0;
  // Per key, the contributors holding a write of it: a winner is found among a key's writers only.
  const writers = new Map<string, Set<Writes>>();
  const winners = new Map<string, CrispWireValue>();
  const log = {
    winners,
    dirty: new Set<string>(),
    version: 0,
    write(writes: Writes, key: string, value: CrispWireValue, at = ++seq) {
      writes.set(key, { value, seq: at });
      const set = writers.get(key) ?? new Set();
      writers.set(key, set.add(writes));
      settle(key, value === "");
    },
    drop(writes: Writes, key: string) {
      writes.delete(key);
      const set = writers.get(key);
      set?.delete(writes);
      if (set?.size === 0) writers.delete(key);
      settle(key, false);
    },
    prune(writes: Writes, key: string) {
      const set = writers.get(key);
      if (set?.size === 1 && writes.get(key)?.value === "" && set.has(writes)) log.drop(writes, key);
    },
    clear() {
      for (const set of writers.values()) for (const writes of set) writes.clear();
      writers.clear();
      winners.clear();
      log.dirty.clear();
      log.version++;
    },
  };

  const settle = (key: string, deletion: boolean) => {
    let newest: Write | undefined;
    for (const writes of writers.get(key) ?? []) {
      const write = writes.get(key) as Write;
      if (!newest || write.seq > newest.seq) newest = write;
    }
    const value = newest?.value === "" ? undefined : newest?.value;
    // A deletion is planned even when nothing won before: Crisp may hold a key this page never sent.
    if (deletion || value !== winners.get(key)) log.dirty.add(key);
    if (value === winners.get(key)) return;
    if (value === undefined) winners.delete(key);
    else winners.set(key, value);
    log.version++;
  };

  return log;
}
