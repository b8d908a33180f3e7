import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "sync",
    environment: "node",
    // Real servers (the emulator, a PostgreSQL cluster) and child processes on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
