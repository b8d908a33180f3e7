import { type CrispDataClient, createCrispData, type MemoryTransport, memoryTransport } from "@crisp-data/core";

/** A client over a recording transport. */
export function setup(transport: MemoryTransport = memoryTransport()): {
  transport: MemoryTransport;
  client: CrispDataClient;
} {
  return { transport, client: createCrispData({ transport }) };
}

/** Lets Vue's pre-flush jobs and the client's end-of-turn push run. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

export const SIX = { plan: "pro", seats: 3, trial: false, region: "eu", role: "admin", team: "core" };

export const ALICE = { id: "a", email: "alice@example.com", tokenId: "tok-a" };
export const BOB = { id: "b", email: "bob@example.com", tokenId: "tok-b" };
