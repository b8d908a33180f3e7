import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = fileURLToPath(new URL("../fixtures/server-in-browser/", import.meta.url));
const CLEAR_ERROR = /^\[crisp-data\] "@crisp-data\/core\/server" was imported into browser code/;
/** Strings only the real REST client contains. */
const REST = ["api.crisp.chat", "X-Crisp-Tier"];
const temp = mkdtempSync(join(tmpdir(), "crisp-data-boundary-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Imports an ES module's code from a file, as a page would load it. */
async function evaluate(code: string, name: string): Promise<unknown> {
  const file = join(temp, name);
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

/** Bundles the fixture as esbuild would for `platform`, with the built package (no source condition). */
async function bundleFixture(platform: "browser" | "node" | "neutral", conditions: string[] = []): Promise<string> {
  const result = await esbuild({
    entryPoints: [join(fixture, "main.js")],
    bundle: true,
    write: false,
    platform,
    format: "esm",
    conditions,
    external: ["node:*", "crypto"],
    logLevel: "silent",
  });
  return result.outputFiles.map((file) => file.text).join("\n");
}

describe("@crisp-data/core/server never reaches a browser", () => {
  it("a Vite browser build links, carries no REST client, and the page throws the clear error at load", async () => {
    const output = await viteBuild({
      root: fixture,
      configFile: false,
      logLevel: "silent",
      build: { write: false, minify: false, rollupOptions: { input: join(fixture, "main.js") } },
    });
    const bundles = Array.isArray(output) ? output : [output];
    const chunks = bundles.flatMap((bundle) => ("output" in bundle ? bundle.output : []));
    const code = chunks.map((chunk) => ("code" in chunk ? chunk.code : "")).join("\n");
    for (const text of REST) expect(code, text).not.toContain(text);
    // Browser code only needs `document.title`; the stub throws before it is reached.
    (globalThis as { document?: unknown }).document = { title: "" };
    try {
      await expect(evaluate(code, "vite.mjs")).rejects.toThrow(CLEAR_ERROR);
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
  });

  it("esbuild for the browser gets the stub, whose error comes before server-only's", async () => {
    const code = await bundleFixture("browser");
    for (const text of REST) expect(code, text).not.toContain(text);
    expect(code).toContain("server-only");
    await expect(evaluate(code, "esbuild.mjs")).rejects.toThrow(CLEAR_ERROR);
  });

  it.for([
    ["edge-light", "neutral"],
    ["worker", "neutral"],
    ["worker", "browser"],
    ["edge-light", "browser"],
  ] as const)("the %s condition (platform %s) keeps the real entry", async ([condition, platform]) => {
    const code = await bundleFixture(platform, [condition]);
    expect(code).toContain("api.crisp.chat");
    expect(code).not.toContain("was imported into browser code");
  });

  it("plain Node (import and require) gets the real entry, which never imports server-only", async () => {
    const code = await bundleFixture("node");
    expect(code).toContain("api.crisp.chat");
    // A plain `node` (no test runner conditions), from a package that depends on core.
    const script = [
      'const { createRequire } = await import("node:module");',
      'const require = createRequire(process.cwd() + "/package.json");',
      'const esm = await import("@crisp-data/core/server");',
      'console.log(JSON.stringify([require.resolve("@crisp-data/core/server"), import.meta.resolve("@crisp-data/core/server"), typeof esm.createCrispRestClient, typeof require("@crisp-data/core/server").createCrispRestClient]));',
    ].join("\n");
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(root, "tests/integration"),
      env,
      encoding: "utf8",
    });
    const [cjs, esm, esmType, cjsType] = JSON.parse(out) as string[];
    expect(cjs).toMatch(/packages\/core\/dist\/server\.cjs$/);
    expect(esm).toMatch(/packages\/core\/dist\/server\.js$/);
    expect([esmType, cjsType]).toEqual(["function", "function"]);
    for (const file of ["dist/server.js", "dist/server.cjs", "src/server/index.ts"]) {
      expect(readFileSync(join(root, "packages/core", file), "utf8"), file).not.toContain("server-only");
    }
  });
});
