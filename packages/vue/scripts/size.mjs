// Brotli size of the production build, as size-limit measures it: `node scripts/size.mjs` after `pnpm build`
// (of core too). Prints the whole entry and `import { useCrispData }`, each without and with core.

import { fileURLToPath } from "node:url";
import { brotliCompressSync } from "node:zlib";
import { build } from "esbuild";

const resolveDir = fileURLToPath(new URL("..", import.meta.url));

const cases = [
  ["own code, whole entry (core external)", "export * from './dist/index.js'", ["vue", "@crisp-data/core"]],
  [
    "own code, { useCrispData } (core external)",
    "export { useCrispData } from './dist/index.js'",
    ["vue", "@crisp-data/core"],
  ],
  ["{ useCrispData } with its core", "export { useCrispData } from './dist/index.js'", ["vue"]],
  [
    "{ useCrispData, CrispDataPlugin } with core",
    "export { useCrispData, CrispDataPlugin } from './dist/index.js'",
    ["vue"],
  ],
];
for (const [name, contents, external] of cases) {
  const result = await build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    external,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  console.log(`${name}: ${code.length} B minified, ${brotliCompressSync(code).length} B brotli`);
}
