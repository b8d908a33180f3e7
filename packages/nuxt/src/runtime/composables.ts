// Auto-imported from here rather than from "@crisp-data/vue", which the app may not depend on directly.
export { useCrispData } from "@crisp-data/vue";
