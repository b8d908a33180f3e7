#!/usr/bin/env node
// The whole suite, as CI runs it: build, lint, typecheck, every vitest project (unit, property, type, integration,
// browser), size budgets, package checks. Ends with one plain `N passed, N failed` line counting test cases, where
// each non-vitest check counts as one case.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const results = resolve(root, ".vitest-results.json");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };

const checks = [];
function run(name, command, args) {
  console.log(`\n▶ ${name}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  const ok = status === 0;
  checks.push({ name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  return ok;
}

// The browser tests are part of the suite: without a Chromium there is nothing sensible to run (the script has
// already said, in one line, what to install).
if (!run("chromium", "node", ["scripts/ensure-chromium.mjs"])) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// The sync tests start throwaway clusters of Debian's PostgreSQL server.
if (!run("postgres", "node", ["scripts/ensure-postgres.mjs"])) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// The queue tests start their own redis-server (Debian's package): make sure there is one.
if (!run("redis", "node", ["scripts/ensure-redis.mjs"])) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
run("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
run("lint", "pnpm", ["exec", "biome", "ci", "."]);
run("typecheck", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
rmSync(results, { force: true });
run("vitest", "pnpm", [
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${results}`,
]);
run("size", "node", ["scripts/size.mjs"]);
run("packages", "pnpm", ["exec", "turbo", "run", "lint:pkg", "--output-logs=errors-only"]);

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that failed to load has no test cases; count it so it cannot pass silently.
  failed += report.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
}
const vitest = checks.find((check) => check.name === "vitest");
if (vitest && !vitest.ok && failed === 0) failed++;
for (const check of checks.filter((c) => c.name !== "vitest")) {
  if (check.ok) passed++;
  else failed++;
}

console.log("\nchecks:");
for (const check of checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name} (${check.seconds}s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
