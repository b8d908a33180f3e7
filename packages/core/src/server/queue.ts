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
  /** Nickname for a contact created on a 404 (latest call wins). */
  nickname: string | undefined;
  /** Shared by every call merged into this entry; already marked handled. */
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

interface TargetState<T> {
  readonly target: T;
  /** Calls not yet picked up by a request. */
  pending: PendingEntry | null;
  /** A write is queued for a lane or under way (writes to one target never overlap; the next one waits). */
  running: boolean;
  /** Set once that write has its lane; created late so 10,000 targets waiting for a lane stay small. */
  controller: AbortController | null;
}

/** What the queue hands to the writer: `take()` detaches the pending entry when its first request starts. */
export interface WriteJob<T> {
  readonly target: T;
  /** Aborted by `failAll`: the writer stops wherever it is and fails what it took. */
  readonly signal: AbortSignal;
  /** Releases the lane the write was started in (idempotent); the writer hands it to its first request. */
  readonly lane: () => void;
  /** The entry the write will take; `null` once `failAll` has failed it. */
  peek(): PendingEntry | null;
  take(): PendingEntry | null;
}

export interface TargetQueue<T> {
  /** Merge a call into the target's pending entry (creating and scheduling it when needed). */
  enqueue(key: string, target: T, merge: (entry: PendingEntry) => void): Promise<void>;
  /**
   * Fail every pending entry now and abort every write under way with `error`. Calls made afterwards start
   * afresh. `onFail` hears of each entry failed here (writes under way report their own).
   */
  failAll(error: unknown, onFail: (target: T, entry: PendingEntry) => void): void;
  /** Targets with a write queued or under way. */
  readonly size: number;
  /** Resolves once no write is queued or under way. */
  whenIdle(): Promise<void>;
  /** Resolves once fewer than `limit` targets are pending. */
  whenBelow(limit: number): Promise<void>;
}

/**
 * Per-target queue. A write starts once it gets a lane (in call order), and hands that lane to its first request;
 * every later request takes a lane of its own and releases it before any backoff sleep, so a sleeping retry never
 * stops other targets from being written.
 */
export function createTargetQueue<T>(lanes: Lanes, write: (job: WriteJob<T>) => Promise<void>): TargetQueue<T> {
  const states = new Map<string, TargetState<T>>();
  let idleWaiters: Array<() => void> = [];
  let capacityWaiters: Array<{ limit: number; resolve: () => void }> = [];

  function schedule(key: string, state: TargetState<T>): void {
    state.running = true;
    void lanes
      .acquire()
      .then((lane) => runOnce(state, lane))
      .then(() => finish(key, state));
  }

  async function runOnce(state: TargetState<T>, lane: () => void): Promise<void> {
    // failAll emptied it while it waited for the lane: nothing to do.
    if (!state.pending) return lane();
    const controller = new AbortController();
    state.controller = controller;
    const job: WriteJob<T> = {
      target: state.target,
      signal: controller.signal,
      lane,
      peek: () => state.pending,
      take: () => {
        const entry = state.pending;
        state.pending = null;
        return entry;
      },
    };
    try {
      await write(job);
      lane();
    } catch (error) {
      lane();
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
    state.controller = null;
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
        state = { target, pending: null, running: false, controller: null };
        states.set(key, state);
      }
      if (!state.pending) state.pending = createEntry();
      merge(state.pending);
      if (!state.running) schedule(key, state);
      return state.pending.promise;
    },
    failAll(error, onFail) {
      for (const state of [...states.values()]) {
        const entry = state.pending;
        state.pending = null;
        if (entry) {
          entry.reject(error);
          onFail(state.target, entry);
        }
        state.controller?.abort(error);
      }
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
  return { patch: new Map(), replace: false, nickname: undefined, promise, resolve, reject };
}
