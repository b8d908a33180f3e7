import { basename } from "node:path";
import type { Plugin as EsbuildPlugin } from "esbuild";
import { defineConfig, type Options } from "tsup";
import { libraryBuild } from "../../tsup.base";

/** The modules that need the client (hooks, state): each its own file, each marked `"use client"`. */
const CLIENT_MODULES = ["useCrispData", "CrispDataProvider"];
/** Shared by the modules above: one file, so the hook and the provider see one React context. */
const SHARED_MODULES = ["context"];
const OWN_FILES = [...CLIENT_MODULES, ...SHARED_MODULES];

/**
 * Keeps imports between our own entry modules as imports of the built file instead of bundling a copy: the main
 * entry stays importable from a React Server Component (its `CrispDataError` is the real class there, not a client
 * reference) while the hook and the provider stay client modules.
 */
const ownFilesExternal: EsbuildPlugin = {
  name: "crisp-data-own-files-external",
  setup(build) {
    const extension = build.initialOptions.format === "cjs" ? ".cjs" : ".js";
    const filter = new RegExp(`^\\./(${OWN_FILES.join("|")})$`);
    build.onResolve({ filter }, (args) => ({ path: `${args.path}${extension}`, external: true }));
  },
};

// esbuild drops module-level directives when it bundles, so the directive is written onto the built file, on its
// first line so that the source maps stay right.
const useClient: NonNullable<Options["plugins"]>[number] = {
  name: "crisp-data-use-client",
  renderChunk(code, chunk) {
    if (!/\.c?js$/.test(chunk.path)) return;
    if (!CLIENT_MODULES.includes(basename(chunk.path).replace(/\.c?js$/, ""))) return;
    return { code: `"use client";${code}` };
  },
};

export default defineConfig({
  ...libraryBuild,
  entry: {
    index: "src/index.ts",
    useCrispData: "src/useCrispData.ts",
    CrispDataProvider: "src/CrispDataProvider.tsx",
    context: "src/context.ts",
  },
  external: [...libraryBuild.external, "react"],
  esbuildPlugins: [ownFilesExternal],
  plugins: [useClient],
});
