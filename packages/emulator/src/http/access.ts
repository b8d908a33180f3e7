import type { IncomingMessage } from "node:http";

/**
 * Who may talk to the emulator. It holds conversation data and token ids, and it runs beside the user's browser,
 * so a page on another site must neither read nor write it, and a DNS-rebound name must not reach it either.
 */
export interface AccessRules {
  /** Exact origins allowed besides loopback ones, e.g. `https://app.example.test`. */
  origins: ReadonlySet<string>;
  /** Host names (no port) allowed besides loopback ones. */
  hosts: ReadonlySet<string>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** `localhost`, `127.0.0.1` or `[::1]`, any port. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** An origin the browser may send: a loopback page on any port, or one the user allowed. */
export function isAllowedOrigin(origin: string, rules: AccessRules): boolean {
  if (rules.origins.has(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything malformed.
  }
  return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHostname(url.hostname);
}

/** The `Host` header names this machine (or a name the user allowed): anything else is DNS rebinding. */
export function isAllowedHost(host: string | undefined, rules: AccessRules): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHostname(hostname) || rules.hosts.has(hostname.toLowerCase());
}

/** Normalizes `allowedOrigins`: each must be a bare origin (`scheme://host[:port]`), as browsers send it. */
export function parseOrigins(origins: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.origin === "null" || url.origin !== origin.replace(/\/$/, "")) {
      throw new RangeError(
        `[crisp-emulator] allowedOrigins: ${JSON.stringify(origin)} is not an origin (use e.g. "https://app.example.test:8443")`,
      );
    }
    out.add(url.origin);
  }
  return out;
}

/** Normalizes `allowedHosts`: host names without scheme or port. */
export function parseHosts(hosts: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const host of hosts) {
    if (!/^[a-z0-9.-]+$/i.test(host)) {
      throw new RangeError(
        `[crisp-emulator] allowedHosts: ${JSON.stringify(host)} is not a host name (use e.g. "emulator.test")`,
      );
    }
    out.add(host.toLowerCase());
  }
  return out;
}

/** Why a request is refused before anything reads it, or `null` when it may go on. */
export function refusal(req: IncomingMessage, rules: AccessRules): { status: 403 | 421; message: string } | null {
  if (!isAllowedHost(req.headers.host, rules)) {
    return {
      status: 421,
      message:
        "this emulator answers to 127.0.0.1, localhost and [::1] only (add a name with allowedHosts/--allow-host)",
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, rules)) {
    return {
      status: 403,
      message: `origin ${origin} may not call this emulator (allow it with allowedOrigins/--allow-origin)`,
    };
  }
  return null;
}
