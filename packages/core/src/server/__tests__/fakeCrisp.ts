import type { CrispDataValue } from "@crisp-data/core";

/** One request the fake saw. */
export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
  at: number;
  redirect: RequestRedirect | undefined;
}

/**
 * A scripted answer for the next request: a status (with optional Retry-After and a raw body instead of Crisp's
 * envelope), a reset, a refused connection or a hang.
 */
export type Fault =
  | number
  | { status: number; retryAfter?: string; body?: string; headers?: Record<string, string> }
  | "reset"
  | "refused"
  | "hang";

/** What undici throws when nothing listens on the port. */
export function refusedError(): TypeError {
  return new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
  });
}

/**
 * An in-memory stand-in for the Crisp REST API, served through an injected `fetch`: meta `data` is replaced
 * whole on PATCH, people data merges on PATCH and is replaced on PUT.
 */
export function fakeCrisp(options: { latencyMs?: number; contactsMustExist?: boolean } = {}) {
  const sessions = new Map<string, Record<string, CrispDataValue>>();
  const contacts = new Map<string, Record<string, CrispDataValue>>();
  const nicknames = new Map<string, string | undefined>();
  const calls: FakeCall[] = [];
  const faults: Fault[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const inFlightByPath = new Map<string, number>();
  let overlap = false;

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const path = url.pathname;
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, body, headers: new Headers(init?.headers), at: Date.now(), redirect: init?.redirect });
    const fault = faults.shift();
    if (fault === "reset") throw new TypeError("fetch failed", { cause: new Error("ECONNRESET") });
    if (fault === "refused") throw refusedError();
    if (fault === "hang") {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const running = (inFlightByPath.get(path) ?? 0) + 1;
    if (running > 1) overlap = true;
    inFlightByPath.set(path, running);
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (fault !== undefined && (typeof fault !== "number" || fault >= 300)) {
        const status = typeof fault === "number" ? fault : fault.status;
        const headers = {
          ...(typeof fault === "object" && fault.retryAfter ? { "Retry-After": fault.retryAfter } : {}),
          ...(typeof fault === "object" ? fault.headers : {}),
        };
        if (typeof fault === "object" && fault.body !== undefined) return new Response(fault.body, { status, headers });
        return json(status, { error: true, reason: status === 422 ? "invalid_data" : "fault", data: {} }, headers);
      }
      return route(method, path, body);
    } finally {
      inFlight--;
      inFlightByPath.set(path, (inFlightByPath.get(path) ?? 1) - 1);
    }
  };

  function route(method: string, path: string, body: unknown): Response {
    const meta = /^\/v1\/website\/([^/]+)\/conversation\/([^/]+)\/meta$/.exec(path);
    const people = /^\/v1\/website\/([^/]+)\/people\/data\/([^/]+)$/.exec(path);
    const profile = /^\/v1\/website\/([^/]+)\/people\/profile$/.exec(path);
    if (profile && method === "POST") {
      const { email, person } = body as { email: string; person?: { nickname?: string } };
      const key = `${decodeURIComponent(profile[1] ?? "")}/${email}`;
      if (contacts.has(key)) return json(409, { error: true, reason: "people_exists", data: {} });
      contacts.set(key, {});
      nicknames.set(key, person?.nickname);
      return json(201, { error: false, reason: "added", data: { people_id: `id-${contacts.size}` } });
    }
    const data = (body as { data?: Record<string, CrispDataValue> } | undefined)?.data ?? {};
    if (meta) {
      const key = `${decodeURIComponent(meta[1] ?? "")}/${decodeURIComponent(meta[2] ?? "")}`;
      if (method === "GET")
        return json(200, { error: false, reason: "resolved", data: { data: sessions.get(key) ?? {} } });
      sessions.set(key, { ...data });
      return json(200, { error: false, reason: "updated", data: {} });
    }
    if (people) {
      const key = `${decodeURIComponent(people[1] ?? "")}/${decodeURIComponent(people[2] ?? "")}`;
      if (options.contactsMustExist && !contacts.has(key)) {
        return json(404, { error: true, reason: "not_found", data: { message: "people not found" } });
      }
      if (method === "GET")
        return json(200, { error: false, reason: "resolved", data: { data: contacts.get(key) ?? {} } });
      contacts.set(key, method === "PUT" ? { ...data } : { ...contacts.get(key), ...data });
      return json(200, { error: false, reason: "updated", data: {} });
    }
    return json(404, { error: true, reason: "not_found", data: {} });
  }

  return {
    fetch,
    calls,
    sessions,
    contacts,
    /** Nickname each contact was created with through POST people/profile. */
    nicknames,
    /** Queue scripted answers for the next requests, in order. */
    fault(...next: Fault[]) {
      faults.push(...next);
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** True if two requests to one path were ever under way at once. */
    get overlapped() {
      return overlap;
    },
  };
}

function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export const base = { identifier: "id", key: "secret", baseUrl: "http://crisp.test/v1/" } as const;
