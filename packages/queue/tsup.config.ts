import { defineConfig } from "tsup";
import { cliBuild, libraryBuild } from "../../tsup.base";

// Lua scripts are bundled as text; bullmq and ioredis stay external (dependencies).
const loader = { ".lua": "text" } as const;
export default defineConfig([
  // Both builds share dist/ and run at once: never wipe the CLI bundle.
  { ...libraryBuild, entry: { index: "src/index.ts" }, clean: ["!cli.*"], platform: "node", loader },
  {
    ...cliBuild,
    loader,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
