import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
/** Strings only REST or credential code contains. */
const forbidden = ["api.crisp.chat", "Authorization", "X-Crisp-Tier", "createHmac", "people/data", "conversation/"];

async function bundle(entry: string, external: string[] = []): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    conditions: ["@crisp-data/source"],
    external,
    logLevel: "silent",
  });
  return result.outputFiles.map((file) => file.text).join("\n");
}

describe("browser bundles carry no REST client", () => {
  it("core's browser entry (source)", async () => {
    const code = await bundle(`${root}packages/core/src/index.ts`);
    expect(code.length).toBeGreaterThan(1000);
    for (const text of forbidden) expect(code, text).not.toContain(text);
  });

  it.for(["react", "vue"])("%s's entry, with core bundled in", async (name, context) => {
    const entry = `${root}packages/${name}/src/index.ts`;
    if (!existsSync(entry)) context.skip(`${entry} does not exist yet`);
    const code = await bundle(entry, ["react", "react-dom", "vue", "react/jsx-runtime"]);
    for (const text of forbidden) expect(code, text).not.toContain(text);
  });

  it("core's built browser entry (dist/index.js)", async (context) => {
    const entry = `${root}packages/core/dist/index.js`;
    if (!existsSync(entry)) context.skip(`${entry} is missing: run pnpm --filter @crisp-data/core build`);
    const code = await bundle(entry);
    for (const text of forbidden) expect(code, text).not.toContain(text);
  });

  it("the server entry does contain them, so the check above can fail", async () => {
    const code = await bundle(`${root}packages/core/src/server/index.ts`, ["node:crypto"]);
    expect(code).toContain("api.crisp.chat");
    expect(code).toContain("Authorization");
  });
});
