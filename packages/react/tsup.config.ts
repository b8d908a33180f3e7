import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.base";

export default defineConfig({
  ...libraryBuild,
  entry: ["src/index.ts"],
  external: [...libraryBuild.external, "react"],
  // esbuild drops module-level directives; the entry must stay a client module for the Next.js App Router.
  banner: { js: '"use client";' },
});
