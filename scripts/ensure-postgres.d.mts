/** Types for `ensure-postgres.mjs`, for TypeScript projects that import it without `allowJs`. */
export declare const DEBIAN_POSTGRES_ROOT: string;
export declare function findPostgresBin(env?: NodeJS.ProcessEnv): string | null;
export declare function ensurePostgres(options?: { env?: NodeJS.ProcessEnv; log?: (line: string) => void }): string;
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server at once and removes its directory; safe to call twice. */
  stop(): void;
}
export declare function startPostgres(options?: {
  bin?: string;
  log?: (line: string) => void;
}): Promise<PostgresServer>;
