import type { BrowserTransportOptions, CrispDataClient } from "@crisp-data/core";
import type { Plugin } from "vue";
import { browserTransport, createCrispData } from "./core";
import { crispDataKey } from "./useCrispDataClient";

/** Options of `CrispDataPlugin`: your own `client`, or how to build one over `window.$crisp`. */
export interface CrispDataPluginOptions extends Omit<BrowserTransportOptions, "window"> {
  /** Use this client (it stays yours: the plugin does not destroy it). */
  client?: CrispDataClient;
}

/**
 * Provides one client to every `useCrispData` of the app. Without `client`, it creates one over
 * `window.$crisp` in the browser (nothing on the server) and destroys it when the app unmounts (Vue 3.5+).
 *
 * @example
 * app.use(CrispDataPlugin, { websiteId: "YOUR-WEBSITE-ID", load: true });
 */
export const CrispDataPlugin: Plugin<[options?: CrispDataPluginOptions]> = {
  install(app, options = {}) {
    let client = options.client;
    if (!client && typeof window !== "undefined") {
      client = createCrispData({ transport: browserTransport(options) });
      // `app.onUnmount` exists from Vue 3.5 and runs before the components unmount: destroy once they have, so
      // the deletions of their keys are sent first (destroy sends what is pending).
      const owned = client;
      (app as { onUnmount?: (fn: () => void) => void }).onUnmount?.(() => queueMicrotask(owned.destroy));
    }
    if (client) app.provide(crispDataKey, client);
  },
};
