/**
 * The module's options, under `crisp` in `nuxt.config`; each is overridable at run time by its
 * `NUXT_PUBLIC_CRISP_*` variable (`NUXT_PUBLIC_CRISP_WEBSITE_ID`, `NUXT_PUBLIC_CRISP_LOAD`,
 * `NUXT_PUBLIC_CRISP_SCRIPT_URL`).
 *
 * @example
 * export default defineNuxtConfig({
 *   modules: ["@crisp-data/nuxt"],
 *   crisp: { websiteId: "YOUR-WEBSITE-ID", load: true },
 * });
 */
export interface ModuleOptions {
  /** Your Crisp website id (Crisp → Settings → Workspace settings → Setup & integrations). */
  websiteId?: string;
  /** Inject the chat script once the first batch is queued (default `false`: you load Crisp yourself). */
  load?: boolean;
  /** The chat script to inject (default Crisp's own); point it at `crisp-emulator` in tests. */
  scriptUrl?: string;
}

/** What the client plugin reads from `useRuntimeConfig().public.crisp`: every key present, so env vars apply. */
export interface CrispPublicRuntimeConfig {
  websiteId: string;
  load: boolean;
  scriptUrl: string;
}
