// Brotli sizes of the built entry, the way size-limit measures them: `node scripts/size.mjs` after `pnpm build`.
import { brotliCompressSync, constants } from "node:zlib";
import { build } from "esbuild";

async function measure(name, contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "js" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    define: { "process.env.NODE_ENV": '"production"' },
    external,
    logLevel: "error",
  });
  const code = result.outputFiles[0].contents;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${name.padEnd(44)} ${String(code.length).padStart(6)} B min  ${String(brotli).padStart(5)} B brotli`);
  return brotli;
}

const react = ["react", "react-dom", "react/jsx-runtime"];
await measure("own code (everything, core external)", 'export * from "./dist/index.js"', [
  ...react,
  "@crisp-data/core",
]);
await measure("{ useCrispData } + core", 'export { useCrispData } from "./dist/index.js"', react);
await measure(
  "{ useCrispData, CrispDataProvider } + core",
  'export { useCrispData, CrispDataProvider } from "./dist/index.js"',
  react,
);
await measure("own code { useCrispData } (core external)", 'export { useCrispData } from "./dist/index.js"', [
  ...react,
  "@crisp-data/core",
]);
await measure("core { getDefaultCrispData } alone", 'export { getDefaultCrispData } from "@crisp-data/core"', react);
