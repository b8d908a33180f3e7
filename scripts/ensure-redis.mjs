#!/usr/bin/env node
/**
 * Finds the `redis-server` the queue tests and benchmarks start (Debian's `redis-server` package), and starts
 * throwaway servers for them.
 *
 * Order: `REDIS_SERVER_PATH`, else `/usr/bin/redis-server`. When none is found and this runs as root on Debian
 * with apt-get, installs `redis-server` with apt-get; otherwise throws a one-line error naming what to install.
 * Run directly, it prints the path (`node scripts/ensure-redis.mjs`). `startRedisServer` runs one on a free
 * loopback port with AOF in a temporary directory.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { aptInstall, canInstallWithApt, freePort, isExecutable } from "./localTools.mjs";

export const DEFAULT_REDIS_SERVER_PATH = "/usr/bin/redis-server";

/** The redis-server to use, or `null` when there is none. Throws when `REDIS_SERVER_PATH` names a missing file. */
export function findRedisServer(env = process.env) {
  const configured = env.REDIS_SERVER_PATH?.trim();
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(
        `REDIS_SERVER_PATH=${configured} is not an executable file: point it at redis-server or unset it`,
      );
    }
    return configured;
  }
  return isExecutable(DEFAULT_REDIS_SERVER_PATH) ? DEFAULT_REDIS_SERVER_PATH : null;
}

/**
 * Returns the path of a usable redis-server, installing Debian's `redis-server` package when allowed.
 * @param {{ env?: NodeJS.ProcessEnv; log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensureRedis({ env = process.env, log = (line) => console.error(line) } = {}) {
  const found = findRedisServer(env);
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(
      `redis-server not found at ${DEFAULT_REDIS_SERVER_PATH}: install it (Debian/Ubuntu: sudo apt-get install -y redis-server) or set REDIS_SERVER_PATH`,
    );
  }
  log(`redis-server not found at ${DEFAULT_REDIS_SERVER_PATH}: installing Debian's redis-server package`);
  aptInstall("redis-server", log);
  const installed = findRedisServer(env);
  if (!installed) {
    throw new Error(
      `apt-get installed redis-server but ${DEFAULT_REDIS_SERVER_PATH} is still missing: set REDIS_SERVER_PATH`,
    );
  }
  return installed;
}

/** Send one inline command and resolve with the first reply line (enough for PING and SHUTDOWN). */
function command(port, line) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.once("error", reject);
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.split("\r\n")[0]);
      }
    });
    // SHUTDOWN closes the connection without a reply.
    socket.once("close", () => resolve(reply.split("\r\n")[0]));
    socket.write(`${line}\r\n`);
  });
}

async function waitUntilReady(port, child) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    try {
      // A server still loading its AOF answers -LOADING.
      if ((await command(port, "PING")) === "+PONG") return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Start a redis-server on a free port of 127.0.0.1 with AOF (`appendfsync` everysec unless told) in a fresh
 * temporary directory. `restart()` stops it gracefully (SHUTDOWN: the AOF is flushed) and starts it again on the
 * same port and directory; `stop()` shuts it down and deletes the directory.
 * @param {{ appendfsync?: "always" | "everysec" | "no"; log?: (line: string) => void }} [options]
 */
export async function startRedisServer({ appendfsync = "everysec", log } = {}) {
  const binary = ensureRedis(log ? { log } : {});
  const dir = mkdtempSync(join(tmpdir(), "crisp-redis-"));
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    appendfsync,
    "--save",
    "",
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
  ];
  let child;
  async function launch() {
    child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    try {
      await waitUntilReady(port, child);
    } catch (error) {
      child.kill("SIGKILL");
      throw new Error(`${error.message}${stderr ? `: ${stderr.trim()}` : ""}`);
    }
  }
  async function shutdown() {
    const exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", resolve);
    });
    await command(port, "SHUTDOWN").catch(() => child.kill("SIGTERM"));
    await exited;
  }
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return child.pid;
    },
    async restart() {
      await shutdown();
      await launch();
    },
    async stop() {
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureRedis());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
