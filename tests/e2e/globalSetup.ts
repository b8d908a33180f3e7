import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureChromium } from "../../scripts/ensure-chromium.mjs";
import { type StaticServer, serveStatic } from "./staticServer";

declare module "vitest" {
  export interface ProvidedContext {
    chromiumPath: string;
    /** Base URLs of the built demo apps, by app name. */
    apps: { "react-demo": string; "vue-demo": string };
  }
}

const root = resolve(import.meta.dirname, "../..");

/**
 * Finds (or installs) Chromium and serves the BUILT demo apps on free loopback ports. The emulator is started by
 * the test file itself, so the tests can read its state (`sessions()`, `contacts()`) directly.
 */
export default async function setup(project: TestProject) {
  const chromiumPath = ensureChromium();
  const needed = [
    "packages/emulator/dist/index.js",
    "apps/react-demo/dist/index.html",
    "apps/vue-demo/dist/index.html",
  ];
  const missing = needed.filter((file) => !existsSync(resolve(root, file)));
  if (missing.length) {
    throw new Error(`e2e: not built: ${missing.join(", ")}. Run \`pnpm turbo run build\` first.`);
  }
  const servers: StaticServer[] = [];
  const react = await serveStatic(resolve(root, "apps/react-demo/dist"));
  servers.push(react);
  const vue = await serveStatic(resolve(root, "apps/vue-demo/dist"));
  servers.push(vue);
  project.provide("chromiumPath", chromiumPath);
  project.provide("apps", { "react-demo": react.url, "vue-demo": vue.url });
  return async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
}
