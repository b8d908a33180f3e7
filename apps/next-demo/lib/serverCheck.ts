import { CrispDataError, createCrispData, memoryTransport } from "@crisp-data/react";

/** What the server sees of `@crisp-data/react`'s plain exports; the page and the route handler both show it. */
export interface ServerCheck {
  /** A `CrispDataError` thrown by core is an instance of the class the React entry exports. */
  errorIsInstance: boolean;
  /** Commands a client over `memoryTransport()` recorded for one `set`. */
  pushes: number;
}

/**
 * Runs in a Server Component and a route handler: the React entry's non-hook exports are the real values there
 * (were the whole entry `"use client"`, they would be client references: `instanceof` false, `memoryTransport` not
 * callable).
 */
export async function serverCheck(): Promise<ServerCheck> {
  const transport = memoryTransport();
  const client = createCrispData({ transport });
  let errorIsInstance = false;
  try {
    client.set({ "Bad Key": 1 } as Record<string, number>);
  } catch (error) {
    errorIsInstance = error instanceof CrispDataError;
  }
  client.set({ plan: "pro" });
  await client.flush();
  const pushes = transport.dataPushes().length;
  client.destroy();
  return { errorIsInstance, pushes };
}
