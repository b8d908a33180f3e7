import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The placeholder `browser/runtime.ts` carries for the origin it was served from. */
const ORIGIN_PLACEHOLDER = '"__CRISP_EMULATOR_ORIGIN__"';

// The runtime is built next to this module's bundle (dist/l.js); from the sources (tests) it sits in ../../dist.
const CANDIDATES = ["./l.js", "../../dist/l.js"];

let cached: string | undefined;

/** The browser bundle tsup builds from `src/runtime/browser/runtime.ts`, read once. */
export function runtimeBundle(): string {
  if (cached !== undefined) return cached;
  for (const candidate of CANDIDATES) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) {
      const source = readFileSync(file, "utf8");
      if (!source.includes(ORIGIN_PLACEHOLDER)) continue;
      cached = source;
      return source;
    }
  }
  throw new Error("[crisp-emulator] the browser runtime (dist/l.js) is not built: run `pnpm build` first");
}

/**
 * The `/l.js` served by an emulator at `fallbackOrigin`: the built runtime, told where its server is for pages
 * that hide `document.currentScript` (it otherwise talks to the origin it was loaded from).
 */
export function loaderScript(fallbackOrigin: string): string {
  return runtimeBundle().replace(ORIGIN_PLACEHOLDER, JSON.stringify(fallbackOrigin));
}
