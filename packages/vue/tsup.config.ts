import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["vue", "@crisp-data/core"],
  // tsup 8.5 injects baseUrl into the dts build; TS 6 rejects it (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
});
