import { workerOptionsFromEnv } from "./env";
import { startCrispWorker } from "./worker";

// `crisp-data-worker`: one worker from the environment (see env.ts); SIGTERM/SIGINT drain the writes under way.
try {
  const worker = startCrispWorker(workerOptionsFromEnv(process.env));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // The id is BullMQ's (it prefixes the worker's job locks): handy to tell workers apart in logs.
  console.log(`[crisp-data] worker ${worker.bullWorker.id} started`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
