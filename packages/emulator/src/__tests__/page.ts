import { JSDOM, VirtualConsole } from "jsdom";
import type { Emulator } from "../server";

/** The globals a page shares with the runtime. */
export interface CrispPage {
  window: Window &
    typeof globalThis & {
      $crisp: unknown;
      CRISP_WEBSITE_ID?: string;
      CRISP_TOKEN_ID?: string | null;
      CRISP_EMULATOR_COUNTRY?: string;
    };
  crisp: {
    push(...commands: unknown[]): unknown;
    get(method: string, key?: string): unknown;
    is(method: string): boolean;
  };
  warnings: string[];
  errors: string[];
  /** localStorage as it is now, to "reload" into a new page. */
  storage(): Array<[string, string]>;
  close(): void;
}

export interface PageOptions {
  /** Storage carried over from a previous page (a reload). */
  storage?: Array<[string, string]>;
  /** Runs before the loader, e.g. to set CRISP_TOKEN_ID or queue commands. */
  before?: (window: CrispPage["window"]) => void;
  language?: string;
  websiteId?: string | null;
}

/** Opens a jsdom page on another origin that loads the emulator's `/l.js` the way a site does. */
export async function openPage(emulator: Emulator, options: PageOptions = {}): Promise<CrispPage> {
  const warnings: string[] = [];
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("warn", (...args) => warnings.push(args.map(String).join(" ")));
  virtualConsole.on("error", (...args) => errors.push(args.map(String).join(" ")));
  virtualConsole.on("jsdomError", (error) => errors.push(String((error as Error).stack ?? error)));
  const dom = new JSDOM("<!doctype html><html><head></head><body><h1>Shop</h1></body></html>", {
    url: "http://localhost:5173/",
    runScripts: "dangerously",
    resources: "usable",
    pretendToBeVisual: true,
    virtualConsole,
    beforeParse(window) {
      if (options.language) Object.defineProperty(window.navigator, "language", { value: options.language });
    },
  });
  const window = dom.window as CrispPage["window"];
  for (const [key, value] of options.storage ?? []) window.localStorage.setItem(key, value);
  if (options.websiteId !== null) window.CRISP_WEBSITE_ID = options.websiteId ?? emulator.websiteId;
  options.before?.(window);
  const script = window.document.createElement("script");
  script.src = emulator.scriptUrl;
  script.async = true;
  const loaded = new Promise<void>((resolve, reject) => {
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("l.js did not load"));
  });
  window.document.head.appendChild(script);
  await loaded;
  return {
    window,
    get crisp() {
      return window.$crisp as CrispPage["crisp"];
    },
    warnings,
    errors,
    storage: () => Object.entries(window.localStorage),
    close: () => window.close(),
  };
}

/** Waits until `check` passes (the runtime talks to the server asynchronously). */
export async function eventually<T>(check: () => T, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Resolves once every command pushed so far reached the server. */
export function settled(page: CrispPage): Promise<void> {
  return eventually(() => {
    const state = page.window.document.getElementById("crisp-emulator-launcher")?.getAttribute("data-state");
    if (state !== "ready") throw new Error(`runtime is ${state ?? "not mounted"}`);
  });
}
