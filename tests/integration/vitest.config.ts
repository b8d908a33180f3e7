import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "integration",
    environment: "node",
    // Real servers on loopback and child processes: give slow CI machines room.
    testTimeout: 60_000,
  },
});
