#!/usr/bin/env node
/**
 * `pnpm demo`: builds the workspace, starts the Crisp emulator and the demo apps on fixed loopback ports, prints
 * their URLs and stops everything on Ctrl-C.
 *
 *   node scripts/demo.mjs             install (when node_modules is missing), build, start
 *   node scripts/demo.mjs --no-build  start what is already built
 *   DEMO_EXIT_AFTER_READY=1           stop right after printing the URLs (smoke test)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
/** The website id the demo apps use with the emulator (`DEMO_WEBSITE_ID` in apps/demo-shared/src/users.ts). */
const DEMO_WEBSITE_ID = "00000000-0000-4000-8000-000000000000";
const EMULATOR_PORT = 4100;
const APPS = [
  { name: "react-demo", port: 4173, built: "dist/index.html" },
  { name: "vue-demo", port: 4174, built: "dist/index.html" },
  { name: "next-demo", port: 4175, built: ".next/BUILD_ID" },
  { name: "nuxt-demo", port: 4176, built: ".output/server/index.mjs" },
];

/** How each built app is served: `vite preview`, `next start`, or Nuxt's own Node server. */
function serveCommand(app, cwd) {
  const bin = (file) => createRequire(join(cwd, "package.json")).resolve(file);
  if (app.name === "next-demo") {
    return { args: [bin("next/dist/bin/next"), "start", "--hostname", HOST, "--port", String(app.port)], env: {} };
  }
  if (app.name === "nuxt-demo") {
    return { args: [join(cwd, app.built)], env: { NITRO_HOST: HOST, NITRO_PORT: String(app.port) } };
  }
  const vite = join(dirname(bin("vite/package.json")), "bin/vite.js");
  return { args: [vite, "preview", "--host", HOST, "--port", String(app.port), "--strictPort"], env: {} };
}

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== "--no-build" && arg !== "--help") fail(`unknown option ${arg} (try --help)`);
}
if (args.has("--help")) {
  console.log("Usage: node scripts/demo.mjs [--no-build]\n  DEMO_EXIT_AFTER_READY=1  exit once everything answers");
  process.exit(0);
}

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

function step(command, commandArgs) {
  console.log(`\n$ ${command} ${commandArgs.join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${commandArgs.join(" ")} failed (exit ${result.status})`);
}

function portInUse(port) {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

async function waitFor(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  return false;
}

const children = [];

function start(name, command, commandArgs, cwd, env = {}) {
  // Detached: each child leads its own process group, so stopping it also stops whatever it started.
  const child = spawn(command, commandArgs, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `[${name}]`.padEnd(13);
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) console.log(`${prefix} ${line}`);
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? `code ${code}`}): stopping the demo`);
      stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const exited = running.map(({ child }) => new Promise((done) => child.once("exit", done)));
  for (const { child } of running) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  const timer = setTimeout(() => {
    for (const { child } of running) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }, 5_000);
  await Promise.all(exited);
  clearTimeout(timer);
  process.exit(code);
}

process.on("SIGINT", () => {
  console.log("\nStopping the emulator and the demo apps…");
  stop(0);
});
process.on("SIGTERM", () => stop(0));

// 1. Install and build.
if (!existsSync(join(root, "node_modules", ".modules.yaml"))) step("pnpm", ["install"]);
if (!args.has("--no-build")) step("pnpm", ["turbo", "run", "build"]);

const cli = join(root, "packages/emulator/dist/cli.js");
const missing = [cli, ...APPS.map(({ name, built }) => join(root, "apps", name, built))].filter(
  (file) => !existsSync(file),
);
if (missing.length) fail(`not built: ${missing.join(", ")} (run without --no-build)`);

for (const port of [EMULATOR_PORT, ...APPS.map((app) => app.port)]) {
  if (await portInUse(port))
    fail(`port ${port} on ${HOST} is in use (is another demo running?): stop it and try again`);
}

// 2. Start the emulator and the built apps.
const emulator = start("emulator", process.execPath, [
  cli,
  "--port",
  String(EMULATOR_PORT),
  "--website-id",
  DEMO_WEBSITE_ID,
]);
const waits = [waitFor(`http://${HOST}:${EMULATOR_PORT}/l.js`, emulator)];
for (const app of APPS) {
  const cwd = join(root, "apps", app.name);
  const { args: serveArgs, env } = serveCommand(app, cwd);
  const child = start(app.name, process.execPath, serveArgs, cwd, env);
  waits.push(waitFor(`http://${HOST}:${app.port}/`, child));
}
const ready = await Promise.all(waits);
if (ready.includes(false)) {
  console.error("demo: something did not start in 30 s (see the lines above)");
  await stop(1);
}

console.log(`
crisp-data demo is running:
  React demo     http://${HOST}:4173/
  Vue demo       http://${HOST}:4174/
  Next.js demo   http://${HOST}:4175/
  Nuxt demo      http://${HOST}:4176/
  Operator view  http://${HOST}:${EMULATOR_PORT}/   (what the emulated Crisp received)

Sign in as a demo user, edit its custom data and watch "What Crisp holds" and the operator view follow.
Press Ctrl-C to stop.
`);

// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script only, never inside a turbo task.
if (process.env.DEMO_EXIT_AFTER_READY === "1") await stop(0);
