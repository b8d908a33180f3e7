export {
  type CrispDataClient,
  CrispDataError,
  type CrispDataInput,
  type CrispDataSchema,
  type CrispDataSnapshot,
  type CrispDataStatus,
  type CrispUser,
  createCrispData,
  type MemoryTransport,
  memoryTransport,
} from "@crisp-data/core";
export { CrispDataProvider, type CrispDataProviderProps } from "./CrispDataProvider";
export { type UseCrispDataOptions, type UseCrispDataResult, useCrispData } from "./useCrispData";
