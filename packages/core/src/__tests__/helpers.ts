import { type CrispDataOptions, createCrispData, type MemoryTransport, memoryTransport } from "@crisp-data/core";

/** A client over a recording transport, with persistence kept in memory so tests can simulate reloads. */
export function setup(options: CrispDataOptions & { transport?: MemoryTransport } = {}) {
  const transport = options.transport ?? memoryTransport();
  const client = createCrispData({ ...options, transport });
  return { transport, client };
}

/** Lets the client's end-of-turn microtask run. */
export const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
