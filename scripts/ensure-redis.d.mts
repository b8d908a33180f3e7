/** Types for `ensure-redis.mjs`, for TypeScript projects that import it without `allowJs`. */
export declare const DEFAULT_REDIS_SERVER_PATH: string;
export declare function findRedisServer(env?: NodeJS.ProcessEnv): string | null;
export declare function ensureRedis(options?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void }): string;
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly pid: number | undefined;
  /** SHUTDOWN (AOF flushed), then start again on the same port and directory. */
  restart(): Promise<void>;
  /** SHUTDOWN and delete the directory. */
  stop(): Promise<void>;
}
export declare function startRedisServer(options?: {
  appendfsync?: "always" | "everysec" | "no";
  log?: (line: string) => void;
}): Promise<RedisServer>;
