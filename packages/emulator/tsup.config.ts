import { defineConfig } from "tsup";
import { cliBuild, libraryBuild } from "../../tsup.base";

export default defineConfig([
  // The three builds share dist/ and run at once: none wipes another's files.
  {
    ...libraryBuild,
    entry: { index: "src/index.ts" },
    clean: ["!cli.*", "!l.js*"],
    platform: "node",
    // The CJS build reads dist/l.js relative to itself.
    shims: true,
  },
  cliBuild,
  {
    // The `$crisp` runtime the server sends as /l.js: one classic script, with core's key and value rules in it.
    entry: { l: "src/runtime/browser/runtime.ts" },
    format: ["iife"],
    outExtension: () => ({ js: ".js" }),
    platform: "browser",
    target: "es2017",
    noExternal: ["@crisp-data/core"],
    minify: false,
    treeshake: true,
  },
]);
