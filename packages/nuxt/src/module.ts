import { addImports, addPlugin, createResolver, defineNuxtModule } from "@nuxt/kit";
import type { CrispPublicRuntimeConfig, ModuleOptions } from "./options";

export type { CrispPublicRuntimeConfig, ModuleOptions } from "./options";

/**
 * `@crisp-data/nuxt`: registers `CrispDataPlugin` in the browser, auto-imports `useCrispData`, and reads its options
 * from `crisp` in `nuxt.config` and from `NUXT_PUBLIC_CRISP_*` at run time.
 *
 * @example
 * export default defineNuxtConfig({ modules: ["@crisp-data/nuxt"], crisp: { websiteId: "YOUR-WEBSITE-ID", load: true } });
 */
export default defineNuxtModule<ModuleOptions>({
  meta: { name: "@crisp-data/nuxt", configKey: "crisp", compatibility: { nuxt: ">=4.0.0" } },
  defaults: { load: false },
  setup(options, nuxt) {
    const resolver = createResolver(import.meta.url);
    const config = nuxt.options.runtimeConfig.public as { crisp?: Partial<CrispPublicRuntimeConfig> };
    // Nuxt applies `NUXT_PUBLIC_CRISP_*` only to keys that exist, so each gets a value ("" for none).
    config.crisp = {
      websiteId: options.websiteId ?? "",
      load: options.load ?? false,
      scriptUrl: options.scriptUrl ?? "",
      ...config.crisp,
    };

    // The server renders with a client that does nothing (the composable's SSR default); only the browser loads Crisp.
    addPlugin({ src: resolver.resolve("./runtime/plugin.client"), mode: "client" });
    addImports({ name: "useCrispData", from: resolver.resolve("./runtime/composables") });

    // Discovered late, these make Vite re-optimize and reload the page on the first dev visit.
    nuxt.options.vite.optimizeDeps ??= {};
    nuxt.options.vite.optimizeDeps.include ??= [];
    nuxt.options.vite.optimizeDeps.include.push(
      "@crisp-data/nuxt > @crisp-data/vue",
      "@crisp-data/nuxt > @crisp-data/core",
    );
  },
});
