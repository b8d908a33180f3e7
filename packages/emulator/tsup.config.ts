import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    // Both builds share dist/ and run at once: never wipe the CLI bundle.
    clean: ["!cli.*"],
    sourcemap: true,
    target: "es2022",
    platform: "node",
    external: ["@crisp-data/core"],
    // tsup 8.5 injects baseUrl into the dts build; TS 6 rejects it (TS5101).
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "es2022",
    platform: "node",
    external: ["@crisp-data/core"],
    banner: { js: "#!/usr/bin/env node" },
  },
]);
