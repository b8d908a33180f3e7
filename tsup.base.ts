import type { Options } from "tsup";

/** What every published package builds: ESM and CJS with types, for ES2022, sharing core instead of bundling it. */
export const libraryBuild = {
  format: ["esm", "cjs"],
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["@crisp-data/core"],
  // tsup 8.5 injects baseUrl into the dts build; TS 6 rejects it (TS5101).
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
} satisfies Options;

/** A package's command-line entry beside its library build: ESM for Node, sharing the library's externals. */
export const cliBuild = {
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  sourcemap: true,
  target: "es2022",
  platform: "node",
  external: libraryBuild.external,
} satisfies Options;
