import type { CrispDataClient } from "@crisp-data/core";
import { hasInjectionContext, type InjectionKey, inject } from "vue";
import { getDefaultCrispData } from "./core";

/**
 * The key `CrispDataPlugin` provides its client under. Provide your own client with it in a test or a subtree.
 *
 * @example
 * mount(Component, { global: { provide: { [crispDataKey]: createCrispData({ transport: memoryTransport() }) } } });
 */
export const crispDataKey: InjectionKey<CrispDataClient> = /* @__PURE__ */ Symbol("crisp-data");

/**
 * The client `CrispDataPlugin` provided, else the shared default client over `window.$crisp` (on the server, a
 * fresh client that does nothing). Works outside components too, where it returns the default client.
 *
 * @example
 * const crisp = useCrispDataClient();
 * await crisp.flush();
 */
export function useCrispDataClient(): CrispDataClient {
  return (hasInjectionContext() && inject(crispDataKey, null)) || getDefaultCrispData();
}
