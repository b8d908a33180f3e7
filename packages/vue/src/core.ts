// Every value this package takes from core, in one module: the build then imports core in one statement.
export {
  browserTransport,
  CrispDataError,
  createCrispData,
  getDefaultCrispData,
  memoryTransport,
} from "@crisp-data/core";
