import { type AccessRules, parseHosts, parseOrigins } from "./http/access";

/** A kind of injected fault: an HTTP status, a hang past the client's timeout, or a reset connection. */
export type FaultKind = "429" | "420" | "500" | "503" | "timeout" | "reset";

export const FAULT_KINDS: readonly FaultKind[] = ["429", "420", "500", "503", "timeout", "reset"];

/** Rate limit per credential and route (method + path template), as a token bucket with a burst equal to the rate. */
export interface RateLimitOptions {
  /** Requests allowed per second, and the burst size. */
  perSecond: number;
  /** Status of a rejected request (default `429`; Crisp also answers `420`). */
  status?: 429 | 420;
  /** Send a `Retry-After` header (default `false`: Crisp sends none). */
  retryAfter?: boolean;
}

/** Seeded fault injection: the same seed and the same arrival order of REST requests give the same faults. */
export interface FaultOptions {
  /** Share of REST requests that fail, 0..1. */
  rate: number;
  seed: number;
  /** Default: every kind. */
  kinds?: FaultKind[];
}

/** One HTTP request as the emulator saw it, for logs (the CLI prints one line per entry). */
export interface EmulatorLogEntry {
  method: string;
  path: string;
  /** `0` when no response was sent (a `timeout` or `reset` fault, or the client went away). */
  status: number;
  /** Which part answered; `refused`: a foreign `Host` (421) or `Origin` (403). */
  kind: "rest" | "runtime" | "script" | "operator" | "refused" | "other";
  fault?: FaultKind;
  durationMs: number;
}

/**
 * Options of `startEmulator`; every one is optional.
 *
 * @example
 * const emulator = await startEmulator({ websiteId: "my-site", rateLimit: 5, faults: { rate: 0.1, seed: 1 } });
 */
export interface EmulatorOptions {
  /** Port on 127.0.0.1 (default `0`: a free port). */
  port?: number;
  /** The one website the emulator serves (default `DEFAULT_WEBSITE_ID`). */
  websiteId?: string;
  /** REST identifier accepted in Basic auth (default `DEFAULT_IDENTIFIER`). */
  identifier?: string;
  /** REST key accepted in Basic auth (default `DEFAULT_KEY`). */
  key?: string;
  /** Requests per second per credential and route, or the full options (default: no limit). */
  rateLimit?: number | RateLimitOptions;
  /** Fault injection on REST requests (default: none). */
  faults?: FaultOptions;
  /** Called once per finished HTTP request (any path), e.g. to log it. */
  onRequest?: (entry: EmulatorLogEntry) => void;
  /**
   * Origins whose pages may call the emulator besides loopback ones (`http://127.0.0.1:*`, `http://localhost:*`,
   * `http://[::1]:*`, and the same over https), e.g. `["https://app.example.test"]`. A request from any other
   * origin gets 403 and no CORS headers.
   */
  allowedOrigins?: string[];
  /**
   * Host names the emulator answers to besides `127.0.0.1`, `localhost` and `[::1]` (e.g. a name in /etc/hosts).
   * A request with any other `Host` header gets 421: that is how DNS rebinding would reach it.
   */
  allowedHosts?: string[];
  /** Print nothing on stderr for requests the client gave up on (default `false`: one line each). */
  quiet?: boolean;
}

export const DEFAULT_WEBSITE_ID = "00000000-0000-4000-8000-000000000000";
export const DEFAULT_IDENTIFIER = "emulator-identifier";
export const DEFAULT_KEY = "emulator-key";

export interface ResolvedOptions {
  port: number;
  websiteId: string;
  identifier: string;
  key: string;
  rateLimit: Required<RateLimitOptions> | null;
  faults: { rate: number; seed: number; kinds: FaultKind[] } | null;
  onRequest: ((entry: EmulatorLogEntry) => void) | undefined;
  access: AccessRules;
  quiet: boolean;
}

/** Applies the defaults and refuses options that would make the emulator behave in a surprising way. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`[crisp-emulator] invalid port ${port}`);
  const limit = typeof options.rateLimit === "number" ? { perSecond: options.rateLimit } : options.rateLimit;
  if (limit && !(limit.perSecond > 0 && Number.isFinite(limit.perSecond))) {
    throw new RangeError("[crisp-emulator] rateLimit.perSecond must be a positive number");
  }
  const faults = options.faults;
  if (faults) {
    if (!(faults.rate >= 0 && faults.rate <= 1)) throw new RangeError("[crisp-emulator] faults.rate must be in 0..1");
    if (!Number.isFinite(faults.seed)) throw new RangeError("[crisp-emulator] faults.seed must be a number");
    const unknown = (faults.kinds ?? []).filter((kind) => !FAULT_KINDS.includes(kind));
    if (unknown.length) throw new RangeError(`[crisp-emulator] unknown fault kinds: ${unknown.join(", ")}`);
    if (faults.kinds && faults.kinds.length === 0) throw new RangeError("[crisp-emulator] faults.kinds is empty");
  }
  return {
    port,
    websiteId: options.websiteId ?? DEFAULT_WEBSITE_ID,
    identifier: options.identifier ?? DEFAULT_IDENTIFIER,
    key: options.key ?? DEFAULT_KEY,
    rateLimit: limit
      ? { perSecond: limit.perSecond, status: limit.status ?? 429, retryAfter: limit.retryAfter ?? false }
      : null,
    faults: faults ? { rate: faults.rate, seed: faults.seed, kinds: [...(faults.kinds ?? FAULT_KINDS)] } : null,
    onRequest: options.onRequest,
    access: { origins: parseOrigins(options.allowedOrigins), hosts: parseHosts(options.allowedHosts) },
    quiet: options.quiet ?? false,
  };
}
