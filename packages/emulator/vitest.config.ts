import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.ts";

export default defineProject({
  ...sourceConditions,
  test: {
    name: "emulator",
    environment: "node",
    // Every test talks to a real server on loopback; give slow CI machines room.
    testTimeout: 15_000,
  },
});
