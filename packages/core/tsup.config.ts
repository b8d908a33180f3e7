import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", server: "src/server/index.ts" },
  format: ["esm", "cjs"],
  clean: true,
  sourcemap: true,
  target: "es2022",
  // The server entry must share the main entry's CrispDataError class, not bundle a copy.
  external: ["@crisp-data/core"],
  // tsup 8.5 injects baseUrl into the dts build; TS 6 rejects it (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
});
