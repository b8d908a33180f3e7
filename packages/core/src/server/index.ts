export { CrispAbortError, CrispApiError, CrispTimeoutError } from "./errors";
export type { CrispTier } from "./options";
export {
  type ContactWriteOptions,
  type CrispRestClient,
  type CrispRestClientOptions,
  createCrispRestClient,
  type FlushOptions,
  type SyncFailure,
  type SyncReport,
} from "./restClient";
export type { RetryOptions } from "./retry";
export { signEmail } from "./signEmail";
export { type CrispTarget, checkNickname, contactTarget, sessionTarget } from "./targets";
