export { CrispApiError, CrispTimeoutError } from "./errors";
export {
  type CrispRestClient,
  type CrispRestClientOptions,
  type CrispTier,
  createCrispRestClient,
  type SyncFailure,
  type SyncReport,
} from "./restClient";
export type { RetryOptions } from "./retry";
export { signEmail } from "./signEmail";
export type { CrispTarget } from "./targets";
