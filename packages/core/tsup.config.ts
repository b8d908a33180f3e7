import { defineConfig } from "tsup";
import { libraryBuild } from "../../tsup.base";

// `@crisp-data/core` stays external (libraryBuild): the server entry must share the main entry's CrispDataError
// class, not bundle a copy.
export default defineConfig({ ...libraryBuild, entry: { index: "src/index.ts", server: "src/server/index.ts" } });
