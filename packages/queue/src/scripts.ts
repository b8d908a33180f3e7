import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import enqueueSource from "./lua/enqueue.lua";
import finishSource from "./lua/finish.lua";
import settleSource from "./lua/settle.lua";
import sweepSource from "./lua/sweep.lua";
import takeSource from "./lua/take.lua";

export type Script = (redis: Redis, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** EVALSHA with a fallback to EVAL when the server does not know the script (first use, or after a restart). */
function script(source: string): Script {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

export const scripts = {
  enqueue: script(enqueueSource),
  take: script(takeSource),
  finish: script(finishSource),
  settle: script(settleSource),
  sweep: script(sweepSource),
};
