import vue from "@vitejs/plugin-vue";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  plugins: [vue()],
  test: {
    name: "vue",
    environment: "happy-dom",
    // The plugin test injects a chat script: count it as loaded instead of logging a DOMException.
    environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
    setupFiles: ["./vitest.setup.ts"],
    restoreMocks: true,
    provide: { vueLine: "3.5" },
  },
});
