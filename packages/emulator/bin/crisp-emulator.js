#!/usr/bin/env node
// Committed, so pnpm can link the bin before the package is built; the CLI itself is dist/cli.js.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("crisp-emulator: not built yet (dist/cli.js is missing): run `pnpm build` in the workspace first");
  process.exit(1);
}
await import(cli.href);
