/**
 * A counting semaphore: at most `size` requests under way at once. Waiters start in call order, except that
 * `priority` waiters (the next request of a write already started, a retry) go first: a write that has begun
 * finishes before new ones start, so its read and write stay close together and started work stays bounded.
 * Nobody holds a lane while sleeping: callers release it between attempts.
 *
 * @example
 * const lanes = createLanes(4);
 * const release = await lanes.acquire();
 * try { await fetch(url) } finally { release() }
 */
export interface Lanes {
  /** Resolves with a release function once a lane is free; rejects with the signal's reason if it aborts first. */
  acquire(options?: { priority?: boolean; signal?: AbortSignal }): Promise<() => void>;
  readonly active: number;
}

interface Waiter {
  grant: (() => void) | null;
}

/** FIFO with a moving head: shift() on a 10,000-long array would copy it every time. */
class Fifo {
  private items: Waiter[] = [];
  private head = 0;
  push(waiter: Waiter): void {
    this.items.push(waiter);
  }
  /** The next waiter still waiting (aborted ones have `grant` cleared), or undefined. */
  next(): Waiter | undefined {
    while (this.head < this.items.length) {
      const waiter = this.items[this.head++];
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (waiter?.grant) return waiter;
    }
    return undefined;
  }
}

export function createLanes(size: number): Lanes {
  let active = 0;
  const urgent = new Fifo();
  const normal = new Fifo();

  function release(): void {
    const next = urgent.next() ?? normal.next();
    // The releasing request hands its lane straight to the next one, so `active` stays the same.
    if (next?.grant) next.grant();
    else active--;
  }

  function releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  return {
    acquire(options = {}) {
      const { signal, priority } = options;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < size) {
        active++;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { grant: null };
        const onAbort = () => {
          waiter.grant = null;
          reject(signal?.reason);
        };
        waiter.grant = () => {
          waiter.grant = null;
          signal?.removeEventListener("abort", onAbort);
          resolve(releaser());
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        (priority ? urgent : normal).push(waiter);
      });
    },
    get active() {
      return active;
    },
  };
}
