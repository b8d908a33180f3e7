#!/usr/bin/env node
/**
 * `pnpm demo`: builds the workspace, starts the Crisp emulator and the demo apps on loopback, prints their URLs and
 * stops everything on Ctrl-C.
 *
 *   node scripts/demo.mjs                  install (when node_modules is missing), build, start
 *   node scripts/demo.mjs --no-build       start what is already built
 *   node scripts/demo.mjs --react-port 5000 --emulator-port 5100   other ports (see --help; env vars too)
 *   DEMO_EXIT_AFTER_READY=1                stop right after printing the URLs (smoke test)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOST = "127.0.0.1";
/** The website id the demo apps use with the emulator (`DEMO_WEBSITE_ID` in apps/demo-shared/src/users.ts). */
const DEMO_WEBSITE_ID = "00000000-0000-4000-8000-000000000000";
/** The emulator port the built apps expect when the page URL does not say otherwise (apps/demo-shared/src/config.ts). */
const APPS_DEFAULT_EMULATOR_PORT = 4100;

/** `vite preview` of a built Vite app, told where the emulator is through the page URL (`?emulator=`). */
function vitePreview(dir) {
  return {
    dir,
    built: join(dir, "dist/index.html"),
    start({ port }) {
      const vite = join(dirname(createRequire(join(dir, "package.json")).resolve("vite/package.json")), "bin/vite.js");
      return {
        command: process.execPath,
        args: [vite, "preview", "--host", HOST, "--port", String(port), "--strictPort"],
      };
    },
    url({ port, emulatorUrl, emulatorPort }) {
      const page = `http://${HOST}:${port}/`;
      return emulatorPort === APPS_DEFAULT_EMULATOR_PORT ? page : `${page}?emulator=${emulatorUrl}`;
    },
  };
}

/**
 * Every server the demo starts. `key` names its flag (`--<key>-port`) and env var (`DEMO_<KEY>_PORT`); `start`
 * returns the command (it may add `env`), `url` what to print, `built` the file that proves it was built.
 * To add an app: one more row.
 */
const EMULATOR = {
  key: "emulator",
  label: "Operator view",
  what: "Crisp emulator: /l.js, REST API, operator view",
  port: 4100,
  built: join(root, "packages/emulator/dist/cli.js"),
  start: ({ port }) => ({
    command: process.execPath,
    args: [join(root, "packages/emulator/dist/cli.js"), "--port", String(port), "--website-id", DEMO_WEBSITE_ID],
  }),
  url: ({ port }) => `http://${HOST}:${port}/`,
  ready: ({ port }) => `http://${HOST}:${port}/l.js`,
  note: "(what the emulated Crisp received)",
};
const APPS = [
  { key: "react", name: "react-demo", label: "React demo", port: 4173, ...vitePreview(join(root, "apps/react-demo")) },
  { key: "vue", name: "vue-demo", label: "Vue demo", port: 4174, ...vitePreview(join(root, "apps/vue-demo")) },
  {
    key: "next",
    name: "next-demo",
    label: "Next.js demo",
    port: 4175,
    dir: join(root, "apps/next-demo"),
    built: join(root, "apps/next-demo/.next/BUILD_ID"),
    // The server reads where the emulator is at request time (apps/next-demo/lib/setup.ts).
    start: ({ port, emulatorUrl }) => ({
      command: process.execPath,
      args: [appBin("apps/next-demo", "next/dist/bin/next"), "start", "--hostname", HOST, "--port", String(port)],
      env: { CRISP_EMULATOR_URL: emulatorUrl, NEXT_TELEMETRY_DISABLED: "1" },
    }),
    url: ({ port }) => `http://${HOST}:${port}/`,
  },
  {
    key: "nuxt",
    name: "nuxt-demo",
    label: "Nuxt demo",
    port: 4176,
    dir: join(root, "apps/nuxt-demo"),
    built: join(root, "apps/nuxt-demo/.output/server/index.mjs"),
    // Nuxt's run-time config: the chat script and the REST API of this emulator.
    start: ({ port, emulatorUrl }) => ({
      command: process.execPath,
      args: [join(root, "apps/nuxt-demo/.output/server/index.mjs")],
      env: {
        NITRO_HOST: HOST,
        NITRO_PORT: String(port),
        NUXT_PUBLIC_CRISP_SCRIPT_URL: `${emulatorUrl}/l.js`,
        NUXT_CRISP_API_URL: `${emulatorUrl}/v1/`,
      },
    }),
    url: ({ port }) => `http://${HOST}:${port}/`,
  },
];

/** A package's file as the app at `dir` resolves it. */
function appBin(dir, file) {
  return createRequire(join(root, dir, "package.json")).resolve(file);
}
const SERVERS = [{ name: "emulator", ...EMULATOR }, ...APPS];

const envName = (server) => `DEMO_${server.key.toUpperCase()}_PORT`;
const HELP = `Usage: node scripts/demo.mjs [--no-build] [options]   (pnpm demo [options])

  --no-build              start what is already built
${SERVERS.map((server) => `  --${`${server.key}-port <n>`.padEnd(22)}${server.what ?? server.label} (default ${server.port}; env ${envName(server)})`).join("\n")}
  DEMO_EXIT_AFTER_READY=1  exit once everything answers
`;

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      build: { type: "boolean", default: true },
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(SERVERS.map((server) => [`${server.key}-port`, { type: "string" }])),
    },
    allowNegative: true,
  }));
} catch (error) {
  fail(`${error.message} (try --help)`);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

/** A port from the flag, else the env var, else the default; each must be a distinct port number. */
function portOf(server) {
  const flag = `${server.key}-port`;
  const raw = values[flag] ?? process.env[envName(server)];
  if (raw === undefined || raw === "") return server.port;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`${values[flag] !== undefined ? `--${flag}` : envName(server)} must be a port number (1-65535), got ${raw}`);
  }
  return port;
}
for (const server of SERVERS) server.port = portOf(server);
const taken = new Map();
for (const server of SERVERS) {
  if (taken.has(server.port)) fail(`${server.label} and ${taken.get(server.port)} both want port ${server.port}`);
  taken.set(server.port, server.label);
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

function start(name, { command, args, env }, cwd) {
  // Detached: each child leads its own process group, so Ctrl-C reaches only this script (which stops them in
  // order), and stopping a child also stops whatever it started.
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
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
  if (!stopping) console.log("\nStopping the emulator and the demo apps…");
  stop(0);
});
process.on("SIGTERM", () => stop(0));

// 1. Install and build.
if (!existsSync(join(root, "node_modules", ".modules.yaml"))) step("pnpm", ["install"]);
if (values.build) step("pnpm", ["turbo", "run", "build"]);

const missing = SERVERS.map((server) => server.built).filter((file) => !existsSync(file));
if (missing.length) fail(`not built: ${missing.join(", ")} (run without --no-build)`);

for (const server of SERVERS) {
  if (await portInUse(server.port)) {
    const flag = `--${server.key}-port`;
    fail(
      `port ${server.port} on ${HOST} (${server.label}) is in use (is another demo running?): stop it or pick another with ${flag}`,
    );
  }
}

// 2. Start the emulator and the built apps, each told where the emulator is.
const emulatorServer = SERVERS[0];
const contextOf = (server) => ({
  port: server.port,
  emulatorPort: emulatorServer.port,
  emulatorUrl: `http://${HOST}:${emulatorServer.port}`,
});
const waits = SERVERS.map((server) => {
  const ctx = contextOf(server);
  const child = start(server.name, server.start(ctx), server.dir ?? root);
  return waitFor(server.ready?.(ctx) ?? server.url(ctx), child);
});
const ready = await Promise.all(waits);
if (ready.includes(false)) {
  console.error("demo: something did not start in 30 s (see the lines above)");
  await stop(1);
}

const width = Math.max(...SERVERS.map((server) => server.label.length)) + 2;
const lines = [...APPS, emulatorServer].map(
  (server) =>
    `  ${server.label.padEnd(width)}${server.url(contextOf(server))}${server.note ? `   ${server.note}` : ""}`,
);
console.log(`
crisp-data demo is running:
${lines.join("\n")}

Sign in as a demo user, edit its custom data and watch "What Crisp holds" and the operator view follow.
Press Ctrl-C to stop.
`);

// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script only, never inside a turbo task.
if (process.env.DEMO_EXIT_AFTER_READY === "1") await stop(0);
