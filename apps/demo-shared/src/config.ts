/**
 * Where the demo's chat box comes from.
 *
 * - Default: the local emulator (`crisp-emulator --port 4100`), whose runtime is served at `/l.js`.
 * - `VITE_CRISP_WEBSITE_ID=<your website id>`: the real Crisp chat box (Crisp's own script).
 * - `VITE_CRISP_SCRIPT_URL=<url>`: another chat script, e.g. an emulator on another port.
 * - `?emulator=http://127.0.0.1:<port>` in the page URL (loopback only): an emulator on another port, without a
 *   rebuild. The browser tests use it to point the built app at the emulator they started.
 */
/// <reference path="./env.d.ts" />
import { DEMO_WEBSITE_ID } from "./users";

export const EMULATOR_URL = "http://127.0.0.1:4100";

export interface CrispSetup {
  mode: "crisp" | "emulator";
  websiteId: string;
  /** `undefined`: Crisp's own script. */
  scriptUrl: string | undefined;
  /** The emulator's operator view, where a person sees what Crisp received. */
  operatorUrl: string | null;
}

/** Accepts only an `http://127.0.0.1:<port>` or `http://localhost:<port>` origin: no page can point it elsewhere. */
function emulatorFromQuery(search: string): string | undefined {
  const value = new URLSearchParams(search).get("emulator");
  if (!value) return undefined;
  try {
    const url = new URL(value);
    const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
    if (url.protocol === "http:" && loopback && url.port) return url.origin;
  } catch {
    // Not a URL: ignored.
  }
  return undefined;
}

export function crispSetup(env: ImportMetaEnv = import.meta.env, search = window.location.search): CrispSetup {
  const websiteId = env.VITE_CRISP_WEBSITE_ID?.trim();
  const scriptOverride = env.VITE_CRISP_SCRIPT_URL?.trim() || undefined;
  if (websiteId) return { mode: "crisp", websiteId, scriptUrl: scriptOverride, operatorUrl: null };
  const origin = emulatorFromQuery(search);
  const scriptUrl = origin ? `${origin}/l.js` : (scriptOverride ?? `${EMULATOR_URL}/l.js`);
  return { mode: "emulator", websiteId: DEMO_WEBSITE_ID, scriptUrl, operatorUrl: new URL("/", scriptUrl).href };
}
