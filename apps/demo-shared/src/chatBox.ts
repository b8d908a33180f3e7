import type { CrispSetup } from "./config";

/** What a demo's banner says about the chat box it loaded. */
export interface ChatBox {
  /** After "Chat box: ", e.g. `local emulator (http://127.0.0.1:4100/l.js)`. */
  label: string;
  /** The emulator's operator view, linked from the banner; `null`: none (real Crisp). */
  operatorUrl: string | null;
}

/** The banner's words for a setup; the Nuxt demo, which knows only its script URL, builds its own `ChatBox`. */
export function describeChatBox(setup: CrispSetup): ChatBox {
  const label = setup.mode === "emulator" ? `local emulator (${setup.scriptUrl})` : `Crisp, website ${setup.websiteId}`;
  return { label, operatorUrl: setup.operatorUrl };
}
