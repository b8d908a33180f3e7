#!/usr/bin/env node
// Size budgets: each entry bundles one import for the browser, minified, production build, and measures brotli.
// `--write` refreshes the table in README.md; without it the table must match (so the README never lies).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const budgets = JSON.parse(readFileSync(resolve(root, "size-budgets.json"), "utf8"));
const write = process.argv.includes("--write");

const rows = [];
let failed = 0;
for (const budget of budgets) {
  const from = resolve(root, budget.from);
  if (!existsSync(from)) {
    console.error(`size: ${budget.from} is missing; run the build first`);
    process.exit(1);
  }
  const result = await build({
    stdin: { contents: `export ${budget.import} from ${JSON.stringify(from)};`, resolveDir: root },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    external: budget.external,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const bytes = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const ok = bytes <= budget.limit;
  if (!ok) failed++;
  rows.push({ ...budget, bytes, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${budget.name} ${budget.import}: ${bytes} B brotli (limit ${budget.limit} B)`);
}

const tableOf = (selected) =>
  [
    "| what | import | size (brotli) | budget |",
    "| --- | --- | --- | --- |",
    ...selected.map((row) => `| ${row.name} | \`${row.import}\` | ${row.bytes} B | ${row.limit} B |`),
  ].join("\n");

// The root README shows every row; a package README shows the rows named after it (`<!-- size:start @scope/name -->`).
const readmes = ["README.md", ...budgets.map((budget) => budget.readme).filter(Boolean)];
for (const path of new Set(readmes)) {
  const file = resolve(root, path);
  const text = readFileSync(file, "utf8");
  const block = /(<!-- size:start ?([^ ]*) -->)[\s\S]*?(<!-- size:end -->)/;
  const match = block.exec(text);
  if (!match) {
    console.error(`size: ${path} has no <!-- size:start --> / <!-- size:end --> block`);
    failed++;
    continue;
  }
  const selected = rows.filter((row) => !match[2] || row.name.startsWith(match[2]));
  const next = text.replace(block, `$1\n${tableOf(selected)}\n$3`);
  if (write) writeFileSync(file, next);
  else if (next !== text) {
    console.error(`size: the size table in ${path} is out of date; run \`pnpm size --write\``);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
