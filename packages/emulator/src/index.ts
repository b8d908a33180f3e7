export {
  DEFAULT_IDENTIFIER,
  DEFAULT_KEY,
  DEFAULT_WEBSITE_ID,
  type EmulatorLogEntry,
  type EmulatorOptions,
  FAULT_KINDS,
  type FaultKind,
  type FaultOptions,
  type RateLimitOptions,
} from "./options";
export { REQUEST_LOG_LIMIT, type RestRequestRecord } from "./rest/requestLog";
export { loaderScript } from "./runtime/loaderScript";
export { type Emulator, startEmulator } from "./server";
export type { EmulatorContact, EmulatorSession, EmulatorStateView } from "./types";
