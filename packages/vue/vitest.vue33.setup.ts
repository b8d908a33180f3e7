/// <reference types="node" />
// Loaded first by vitest.vue33.config.ts. @vue/test-utils and @testing-library/vue ship CommonJS that Node
// loads itself, so the config's aliases never reach their `require("vue")`; point Node's own resolution of
// "vue" at the vue33 alias (vue@3.3) too, so tests, sources and both libraries share one Vue 3.3.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const vue33 = require.resolve("vue33");
const Module = require("node:module") as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (this: unknown, request, ...rest) {
  return resolve.call(this, request === "vue" ? vue33 : request, ...rest);
};
