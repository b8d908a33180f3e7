import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { expect, test } from "vitest";

const fixture = resolve(import.meta.dirname, "fixtures/next-client-leak");

test("Next.js refuses to build a client component that imports @crisp-data/core/server", () => {
  const next = createRequire(resolve(fixture, "package.json")).resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [next, "build"], {
    cwd: fixture,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, output).not.toBe(0);
  // The browser condition's stub is what the client graph got, and its `server-only` import stopped the build.
  expect(output).toContain("'server-only' cannot be imported from a Client Component module");
  expect(output).toContain("packages/core/browser/server.mjs");
}, 120_000);
