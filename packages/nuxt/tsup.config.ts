import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.base";

// Nuxt modules are ESM only. The runtime files are compiled into the app by Nuxt, so they stay separate files
// that import "@crisp-data/vue" and "nuxt/app" instead of bundling them.
export default defineConfig({
  ...libraryBuild,
  format: ["esm"],
  entry: {
    module: "src/module.ts",
    "runtime/plugin.client": "src/runtime/plugin.client.ts",
    "runtime/composables": "src/runtime/composables.ts",
  },
  external: [...libraryBuild.external, "@crisp-data/vue", "@nuxt/kit", "nuxt", "nuxt/app", "vue"],
  // Types only for the module (its options); Nuxt type-checks the runtime files in the app. Checking them here
  // would load Nuxt's whole app types and double the build time.
  dts: { ...libraryBuild.dts, entry: { module: "src/module.ts" } },
});
