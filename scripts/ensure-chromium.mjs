#!/usr/bin/env node
import { pathToFileURL } from "node:url";
import { aptInstall, canInstallWithApt, isExecutable } from "./localTools.mjs";

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
  aptInstall("chromium", log);
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
