import type { CrispWireValue } from "@crisp-data/core";
import type { Lanes } from "./lanes";

/**
 * Everything asked of one target since its last write started, merged: later calls override earlier ones
 * key by key, so memory holds one entry per target however many calls arrive. `replace` means a full
 * replacement (PUT) whose map already includes later merges.
 */
export interface PendingEntry {
  readonly patch: Map<string, CrispWireValue>;
  replace: boolean;
  /** Shared by every call merged into this entry; already marked handled. */
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

interface TargetState<T> {
  readonly target: T;
  /** Calls not yet picked up by a request. */
  pending: PendingEntry | null;
  /** A write to this target is under way; the next one waits, so writes to one target never overlap. */
  running: boolean;
}

/** What the queue hands to the writer: `take()` detaches the pending entry when its first request starts. */
export interface WriteJob<T> {
  readonly target: T;
  peek(): PendingEntry;
  take(): PendingEntry;
}

export interface TargetQueue<T> {
  /** Merge a call into the target's pending entry (creating and scheduling it when needed). */
  enqueue(key: string, target: T, merge: (entry: PendingEntry) => void): Promise<void>;
  /** Targets with a write queued or under way. */
  readonly size: number;
  /** Resolves once no write is queued or under way. */
  whenIdle(): Promise<void>;
  /** Resolves once fewer than `limit` targets are pending. */
  whenBelow(limit: number): Promise<void>;
}

export function createTargetQueue<T>(lanes: Lanes, write: (job: WriteJob<T>) => Promise<void>): TargetQueue<T> {
  const states = new Map<string, TargetState<T>>();
  let idleWaiters: Array<() => void> = [];
  let capacityWaiters: Array<{ limit: number; resolve: () => void }> = [];

  function schedule(key: string, state: TargetState<T>): void {
    state.running = true;
    void lanes.run(() => runOnce(state)).then(() => finish(key, state));
  }

  async function runOnce(state: TargetState<T>): Promise<void> {
    const job: WriteJob<T> = {
      target: state.target,
      peek: () => state.pending ?? fail("no pending entry"),
      take: () => {
        const entry = state.pending ?? fail("no pending entry");
        state.pending = null;
        return entry;
      },
    };
    try {
      await write(job);
    } catch (error) {
      // The writer settles its entry; this only guards against a bug leaving one hanging.
      const orphan = state.pending;
      if (orphan) {
        state.pending = null;
        orphan.reject(error);
      }
    }
  }

  function finish(key: string, state: TargetState<T>): void {
    state.running = false;
    if (state.pending) {
      schedule(key, state);
      return;
    }
    states.delete(key);
    notify();
  }

  function notify(): void {
    if (capacityWaiters.length) {
      const still: typeof capacityWaiters = [];
      for (const waiter of capacityWaiters) {
        if (states.size < waiter.limit) waiter.resolve();
        else still.push(waiter);
      }
      capacityWaiters = still;
    }
    if (states.size === 0 && idleWaiters.length) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  return {
    enqueue(key, target, merge) {
      let state = states.get(key);
      if (!state) {
        state = { target, pending: null, running: false };
        states.set(key, state);
      }
      if (!state.pending) state.pending = createEntry();
      merge(state.pending);
      if (!state.running) schedule(key, state);
      return state.pending.promise;
    },
    get size() {
      return states.size;
    },
    whenIdle() {
      return states.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
    },
    whenBelow(limit) {
      return states.size < limit
        ? Promise.resolve()
        : new Promise((resolve) => capacityWaiters.push({ limit, resolve }));
    },
  };
}

function createEntry(): PendingEntry {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Fire-and-forget callers never attach a handler; the failure still reaches the report and onError.
  promise.catch(() => {});
  return { patch: new Map(), replace: false, promise, resolve, reject };
}

function fail(message: string): never {
  throw new Error(`[crisp-data] internal: ${message}`);
}
