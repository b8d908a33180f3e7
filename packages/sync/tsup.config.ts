import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.base";

export default defineConfig([
  // Both builds share dist/ and run at once: never wipe the CLI bundle.
  { ...libraryBuild, entry: { index: "src/index.ts" }, clean: ["!cli.*"], platform: "node" },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "es2022",
    platform: "node",
    external: libraryBuild.external,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
