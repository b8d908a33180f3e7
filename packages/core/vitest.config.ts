import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "core",
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
