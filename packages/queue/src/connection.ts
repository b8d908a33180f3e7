import { CrispDataError } from "@crisp-data/core";
import { Redis, type RedisOptions } from "ioredis";

/** Where Redis is: an ioredis client (duplicated, so yours stays yours), ioredis options, or a `redis://` URL. */
export type CrispQueueConnection = Redis | RedisOptions | string;

/**
 * A client of our own for `connection`. BullMQ needs `maxRetriesPerRequest: null` on a worker's connections (a
 * blocking call must wait out a Redis restart rather than fail); producers keep ioredis' bounded retries so a call
 * made while Redis is away rejects instead of hanging forever.
 */
export function openConnection(connection: CrispQueueConnection, option: string, forWorker: boolean): Redis {
  const overrides: RedisOptions = forWorker ? { maxRetriesPerRequest: null } : {};
  if (connection instanceof Redis) return connection.duplicate(overrides);
  if (typeof connection === "string") return new Redis(connection, overrides);
  if (typeof connection === "object" && connection !== null) return new Redis({ ...connection, ...overrides });
  throw new CrispDataError(
    [{ key: "", code: "invalid_value" }],
    `[crisp-data] ${option} needs a connection: an ioredis client, ioredis options or a redis:// URL.`,
  );
}

/** Close a client of ours: QUIT when connected (replies flushed), else just drop the socket. */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
