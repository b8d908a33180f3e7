export type { CrispQueueConnection } from "./connection";
export {
  type CrispQueue,
  type CrispQueueBaseOptions,
  type CrispQueueOptions,
  type CrispQueueStats,
  createCrispQueue,
  DEFAULT_QUEUE_NAME,
} from "./queue";
export type { CrispJobData } from "./targets";
export { type CrispWorker, type CrispWorkerOptions, startCrispWorker } from "./worker";
