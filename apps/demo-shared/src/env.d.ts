/// <reference types="vite/client" />

/** The variables `config.ts` reads; the apps that import it pick this up through its `/// <reference>`. */
interface ImportMetaEnv {
  /** Your Crisp website id: load the real Crisp chat box instead of the emulator. */
  readonly VITE_CRISP_WEBSITE_ID?: string;
  /** The chat script to load instead of the emulator's default `http://127.0.0.1:4100/l.js`. */
  readonly VITE_CRISP_SCRIPT_URL?: string;
}
