/**
 * `@crisp-data/vue`: keep Crisp chat custom data in step with the signed-in user, from Vue 3.3+.
 *
 * @example
 * // main.ts
 * app.use(CrispDataPlugin, { websiteId: "YOUR-WEBSITE-ID", load: true });
 * // a component's setup
 * useCrispData(() => ({ plan: auth.plan }), { user: () => auth.user });
 *
 * @packageDocumentation
 */

// What apps and their tests need from core, so one import path is enough.
export type {
  CrispDataClient,
  CrispDataInput,
  CrispDataSnapshot,
  CrispDataStatus,
  CrispUser,
  MemoryTransport,
} from "@crisp-data/core";
export { CrispDataError, createCrispData, memoryTransport } from "./core";
export { CrispDataPlugin, type CrispDataPluginOptions } from "./plugin";
export { type UseCrispDataOptions, type UseCrispDataReturn, useCrispData } from "./useCrispData";
export { crispDataKey, useCrispDataClient } from "./useCrispDataClient";
