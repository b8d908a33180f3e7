import { type CrispDataClient, createCrispData } from "./client";

let shared: CrispDataClient | undefined;

/**
 * The client the bindings use when the app configures none: one per page over `window.$crisp`. On the server
 * every call gets a fresh client that does nothing, so requests never share a user.
 */
export function getDefaultCrispData(): CrispDataClient {
  if (typeof window === "undefined") return createCrispData();
  shared ??= createCrispData();
  return shared;
}
