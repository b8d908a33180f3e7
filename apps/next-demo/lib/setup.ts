import "server-only";
import type { CrispSetup } from "@crisp-data/demo-shared/config";
import { DEMO_WEBSITE_ID } from "@crisp-data/demo-shared/users";

/** The emulator `pnpm demo` starts; the browser tests start their own and pass its URL in the variables below. */
const EMULATOR_URL = "http://127.0.0.1:4100";

/** Where the chat box is, read on the server at request time (never baked into the bundle); the Vite demos'
 * `CrispSetup`. */
export type DemoSetup = CrispSetup;

/**
 * `CRISP_WEBSITE_ID`: your website, with Crisp's own chat box (and `CRISP_API_URL` unset: Crisp's REST API).
 * Otherwise the emulator: `CRISP_EMULATOR_URL` (default http://127.0.0.1:4100).
 */
export function demoSetup(env: NodeJS.ProcessEnv = process.env): DemoSetup {
  const websiteId = env.CRISP_WEBSITE_ID?.trim();
  if (websiteId) return { mode: "crisp", websiteId, scriptUrl: env.CRISP_SCRIPT_URL || undefined, operatorUrl: null };
  const emulator = env.CRISP_EMULATOR_URL?.trim() || EMULATOR_URL;
  return { mode: "emulator", websiteId: DEMO_WEBSITE_ID, scriptUrl: `${emulator}/l.js`, operatorUrl: `${emulator}/` };
}

/** The REST API root the server writes to: Crisp's, or the emulator's. */
export function restBaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CRISP_WEBSITE_ID?.trim()) return env.CRISP_API_URL || undefined;
  return `${env.CRISP_EMULATOR_URL?.trim() || EMULATOR_URL}/v1/`;
}
