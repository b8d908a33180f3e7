#!/usr/bin/env node
/**
 * Finds the Chromium the browser tests drive (Playwright cannot download browsers here).
 *
 * Order: `CHROMIUM_PATH`, else `/usr/bin/chromium` (Debian's `chromium` package). When none is found and this
 * runs as root on Debian with apt-get, installs `chromium` with apt-get; otherwise throws a one-line error naming
 * what to install. Run directly, it prints the path (`node scripts/ensure-chromium.mjs`). `chromiumLaunchOptions` is
 * how every browser test launches it.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless, sandbox-free and quiet (no QUIC, background networking, component updates or sync): fit for CI. */
export const CHROMIUM_ARGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]);

/**
 * The options for Playwright's `chromium.launch` that the browser tests share.
 * @param {string} executablePath
 * @returns {{ executablePath: string; headless: true; args: string[] }}
 */
export function chromiumLaunchOptions(executablePath) {
  return { executablePath, headless: true, args: [...CHROMIUM_ARGS] };
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to use, or `null` when there is none. Throws when `CHROMIUM_PATH` names a missing file. */
export function findChromium(env = process.env) {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(
        `CHROMIUM_PATH=${configured} is not an executable file: point it at a Chromium binary or unset it`,
      );
    }
    return configured;
  }
  return isExecutable(DEFAULT_CHROMIUM_PATH) ? DEFAULT_CHROMIUM_PATH : null;
}

function canInstallWithApt() {
  return (
    process.platform === "linux" &&
    process.getuid?.() === 0 &&
    existsSync("/etc/debian_version") &&
    existsSync("/usr/bin/apt-get")
  );
}

function run(command, args, log) {
  log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}): install Debian's chromium package yourself (apt-get install -y chromium)`,
    );
  }
}

/**
 * Returns the path of a usable Chromium, installing Debian's `chromium` package when allowed.
 * @param {{ env?: NodeJS.ProcessEnv; log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensureChromium({ env = process.env, log = (line) => console.error(line) } = {}) {
  const found = findChromium(env);
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(
      `Chromium not found at ${DEFAULT_CHROMIUM_PATH}: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  }
  log(`Chromium not found at ${DEFAULT_CHROMIUM_PATH}: installing Debian's chromium package (about 30 s)`);
  run("apt-get", ["update"], log);
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], log);
  const installed = findChromium(env);
  if (!installed)
    throw new Error(`apt-get installed chromium but ${DEFAULT_CHROMIUM_PATH} is still missing: set CHROMIUM_PATH`);
  return installed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
