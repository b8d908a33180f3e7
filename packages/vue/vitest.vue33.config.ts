import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

// The same tests on the lowest supported Vue: the `vue33` devDependency (npm:vue@3.3.13). Every "vue" import
// goes to it: our sources and tests through these aliases, @vue/test-utils and @testing-library/vue (CommonJS,
// loaded by Node) through vitest.vue33.setup.ts. `vue/server-renderer` is vue33's own, which re-exports the
// @vue/server-renderer@3.3 it depends on.
const here = dirname(fileURLToPath(import.meta.url));
const vue33 = realpathSync(join(here, "node_modules/vue33"));

export default defineProject({
  ...sourceConditions,
  root: here,
  resolve: {
    ...sourceConditions.resolve,
    alias: [
      { find: /^vue$/, replacement: join(vue33, "index.mjs") },
      { find: /^vue\/server-renderer$/, replacement: join(vue33, "server-renderer/index.mjs") },
    ],
  },
  test: {
    name: "vue33",
    environment: "happy-dom",
    // The plugin test injects a chat script: count it as loaded instead of logging a DOMException.
    environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
    setupFiles: ["./vitest.vue33.setup.ts", "./vitest.setup.ts"],
    restoreMocks: true,
    provide: { vueLine: "3.3" },
  },
});
