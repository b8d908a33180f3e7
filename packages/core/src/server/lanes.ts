/**
 * A counting semaphore: at most `size` tasks run at once, the rest start in call order.
 *
 * @example
 * const lanes = createLanes(4);
 * await lanes.run(() => fetch(url));
 */
export interface Lanes {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
}

export function createLanes(size: number): Lanes {
  let active = 0;
  // FIFO with a moving head: shift() on a 10,000-long array would copy it every time.
  let waiters: Array<() => void> = [];
  let head = 0;

  function release(): void {
    const next = waiters[head];
    if (next) {
      waiters[head++] = noop;
      if (head > 1024 && head * 2 > waiters.length) {
        waiters = waiters.slice(head);
        head = 0;
      }
      next();
    } else {
      active--;
    }
  }

  return {
    async run(task) {
      if (active < size) active++;
      // The releasing task hands its lane straight to us, so `active` stays the same.
      else await new Promise<void>((resolve) => waiters.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
  };
}

function noop(): void {}
