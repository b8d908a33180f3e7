import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "packages/react/vitest.react18.config.ts",
      "packages/vue/vitest.vue33.config.ts",
      "tests/*",
    ],
  },
});
