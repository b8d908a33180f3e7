import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { projects: ["packages/*", "packages/react/vitest.react18.config.ts", "tests/*"] },
});
