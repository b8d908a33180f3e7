import { CrispDataPlugin } from "@crisp-data/vue";
import { defineNuxtPlugin, useRuntimeConfig } from "nuxt/app";
import type { CrispPublicRuntimeConfig } from "../options";

/** Gives every `useCrispData` of the app one client over `window.$crisp`, configured at run time. */
export default defineNuxtPlugin({
  name: "crisp-data",
  setup(nuxtApp) {
    const { websiteId, load, scriptUrl } = useRuntimeConfig().public.crisp as CrispPublicRuntimeConfig;
    nuxtApp.vueApp.use(CrispDataPlugin, {
      websiteId: websiteId || undefined,
      // From an env var, `NUXT_PUBLIC_CRISP_LOAD=true` arrives as a boolean; "true" is accepted too.
      load: load === true || String(load) === "true",
      scriptUrl: scriptUrl || undefined,
    });
  },
});
