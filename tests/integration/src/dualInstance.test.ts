import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = fileURLToPath(new URL("..", import.meta.url));
const dist = fileURLToPath(new URL("../../../packages/core/dist/server.cjs", import.meta.url));

describe("one CrispDataError across @crisp-data/core and @crisp-data/core/server (built package)", () => {
  it.for(["instanceof.mjs", "instanceof.cjs"])("%s", (script, context) => {
    if (!existsSync(dist)) context.skip("packages/core/dist is missing: run pnpm --filter @crisp-data/core build");
    // A child process resolves through the package exports (import / require), not vitest's source condition.
    const output = execFileSync(process.execPath, [`fixtures/${script}`], { cwd: here, encoding: "utf8" });
    expect(JSON.parse(output)).toEqual({ api: true, validation: true });
  });
});
