import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "react",
    environment: "happy-dom",
    setupFiles: ["./vitest.setup.ts"],
    environmentOptions: { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } } },
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
