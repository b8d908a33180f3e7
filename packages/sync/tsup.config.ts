import { defineConfig } from "tsup";
import { cliBuild, libraryBuild } from "../../tsup.base";

export default defineConfig([
  // Both builds share dist/ and run at once: never wipe the CLI bundle.
  { ...libraryBuild, entry: { index: "src/index.ts" }, clean: ["!cli.*"], platform: "node" },
  {
    ...cliBuild,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
