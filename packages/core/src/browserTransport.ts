import type { CrispCommand, CrispTransport } from "./types";

/** The globals Crisp's chat script reads; typed here so users need no Crisp typings. */
export interface CrispWindow {
  $crisp?: { push(command: CrispCommand): unknown } | CrispCommand[];
  CRISP_WEBSITE_ID?: string;
  CRISP_TOKEN_ID?: string | null;
  CRISP_RUNTIME_CONFIG?: unknown;
  document: Document;
  localStorage?: Storage;
}

export interface BrowserTransportOptions {
  /** The window to drive (default: the global one; none on the server, where the transport does nothing). */
  window?: CrispWindow;
  /** Your Crisp website id, needed with `load: true`. */
  websiteId?: string;
  /** The chat script to inject (default Crisp's; the emulator serves its own at `/l.js`). */
  scriptUrl?: string;
  /** Inject the chat script (default `false`: you already load Crisp with its snippet). */
  load?: boolean;
  /** CSP nonce for the injected script. */
  nonce?: string;
}

export const DEFAULT_SCRIPT_URL = "https://client.crisp.chat/l.js";

const clientsPerWindow = new WeakMap<object, number>();

/**
 * Pushes onto `window.$crisp`, creating it as `[]` so commands queue until the chat script loads. Never calls
 * `$crisp.get`/`$crisp.is`, which throw before load. With `load: true` and a `websiteId` it also injects the chat
 * script, once.
 */
/* @__NO_SIDE_EFFECTS__ */
export function browserTransport(options: BrowserTransportOptions = {}): CrispTransport {
  const transport = windowTransport(options.window, options.websiteId);
  const { websiteId, load, nonce, scriptUrl = DEFAULT_SCRIPT_URL } = options;
  const win = transport.window;
  if (!win || !load || !websiteId) return transport;
  return {
    ...transport,
    inject() {
      const doc = win.document;
      // Compared as written, not through a CSS selector, so any URL works; one script per page, whoever asks.
      if ([...doc.scripts].some((script) => script.getAttribute("src") === scriptUrl)) return;
      win.CRISP_WEBSITE_ID = websiteId;
      const script = doc.createElement("script");
      script.src = scriptUrl;
      script.async = true;
      if (nonce) script.nonce = nonce;
      (doc.head ?? doc.documentElement).appendChild(script);
    },
  };
}

/**
 * The default transport: the `$crisp` queue of the given (or global) window, without a loader. On the server (no
 * window) it does nothing and remembers nothing.
 */
/* @__NO_SIDE_EFFECTS__ */
export function windowTransport(
  target?: CrispWindow,
  websiteId?: string,
): CrispTransport & { readonly window?: CrispWindow | undefined } {
  const win = target ?? (typeof window === "undefined" ? undefined : (window as unknown as CrispWindow));
  let storage: Storage | undefined;
  try {
    storage = win?.localStorage;
  } catch {
    // Storage access throws in sandboxed iframes and some privacy modes; the client then forgets across reloads.
  }
  // Without a window (on the server) every method does nothing: guards in one object cost fewer bytes than a
  // second, no-op transport.
  return {
    window: win,
    websiteId: websiteId ?? win?.CRISP_WEBSITE_ID,
    storage,
    push(command) {
      if (!win) return;
      if (!win.$crisp) win.$crisp = [];
      win.$crisp.push(command);
    },
    setToken(tokenId) {
      if (!win) return;
      if (tokenId) win.CRISP_TOKEN_ID = tokenId;
      else {
        // A page's `var CRISP_TOKEN_ID` is a global that cannot be deleted: clearing it is assigning nothing.
        try {
          // Sloppy-mode code gets `false` where strict code gets a TypeError.
          if (!delete win.CRISP_TOKEN_ID) throw 0;
        } catch {
          win.CRISP_TOKEN_ID = undefined;
        }
      }
    },
    getToken: () => win?.CRISP_TOKEN_ID ?? undefined,
    isLoaded: () => !!win?.$crisp && !Array.isArray(win.$crisp),
    // Only development builds count clients: the warning is their only use.
    ...(process.env.NODE_ENV !== "production" &&
      win && {
        attach() {
          const count = (clientsPerWindow.get(win) ?? 0) + 1;
          clientsPerWindow.set(win, count);
          if (count > 1) {
            console.warn(
              "[crisp-data] Two crisp-data clients drive the same chat box; their data and resets will fight. Create one client and share it (a provider or plugin does this).",
            );
          }
          return () => clientsPerWindow.set(win, (clientsPerWindow.get(win) ?? 1) - 1);
        },
      }),
  };
}
