export {
  type BrowserTransportOptions,
  browserTransport,
  type CrispWindow,
  DEFAULT_SCRIPT_URL,
  windowTransport,
} from "./browserTransport";
export { type CrispDataClient, type CrispDataOptions, createCrispData } from "./client";
export { getDefaultCrispData } from "./defaultClient";
export { CrispDataError, type CrispDataErrorCode, type CrispDataIssue } from "./errors";
export { isValidKey, KEY_PATTERN, normalizeKey } from "./keys";
export { type MemoryTransport, type MemoryTransportEvent, memoryTransport } from "./memoryTransport";
export type { CrispDataSource, CrispDataSourceOptions } from "./source";
export type {
  CheckedInput,
  CrispCommand,
  CrispDataInput,
  CrispDataInputOf,
  CrispDataSchema,
  CrispDataSnapshot,
  CrispDataStatus,
  CrispDataValue,
  CrispTransport,
  CrispUser,
  InvalidKeyMessage,
  IsValidKey,
  StorageLike,
} from "./types";
export { type ValidatedInput, validateInput, validateInputStrict } from "./validate";
export { type CrispWireValue, MAX_KEYS, MAX_VALUE_LENGTH, toWireValue } from "./values";
