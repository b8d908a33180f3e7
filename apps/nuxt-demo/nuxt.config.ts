import { DEMO_WEBSITE_ID } from "@crisp-data/demo-shared/users";

/** The emulator `pnpm demo` starts. The browser tests start their own and override both URLs at run time. */
const EMULATOR_URL = "http://127.0.0.1:4100";

export default defineNuxtConfig({
  compatibilityDate: "2026-01-01",
  modules: ["@crisp-data/nuxt"],
  // Overridden at run time by NUXT_PUBLIC_CRISP_WEBSITE_ID, NUXT_PUBLIC_CRISP_LOAD and NUXT_PUBLIC_CRISP_SCRIPT_URL.
  crisp: { websiteId: DEMO_WEBSITE_ID, load: true, scriptUrl: `${EMULATOR_URL}/l.js` },
  runtimeConfig: {
    // Server only (NUXT_CRISP_API_URL, NUXT_CRISP_API_IDENTIFIER, NUXT_CRISP_API_KEY); the emulator's by default.
    crispApi: { url: `${EMULATOR_URL}/v1/`, identifier: "emulator-identifier", key: "emulator-key" },
  },
  css: ["@crisp-data/demo-shared/styles.css"],
  app: {
    head: { title: "crisp-data · Nuxt demo", htmlAttrs: { lang: "en" }, link: [{ rel: "icon", href: "data:," }] },
  },
  // The shared demo users module also holds the browser demos' localStorage helpers: type the server with the DOM.
  nitro: { typescript: { tsConfig: { compilerOptions: { lib: ["es2022", "dom"] } } } },
  devtools: { enabled: false },
  telemetry: false,
});
