import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { refusal } from "./http/access";
import { setCors } from "./http/respond";
import { handleOperatorRequest } from "./operator/index";
import { type EmulatorLogEntry, type EmulatorOptions, type FaultKind, resolveOptions } from "./options";
import { createRestHandler } from "./rest/handleRest";
import { RequestLog, type RestRequestRecord } from "./rest/requestLog";
import { handleRuntime, RUNTIME_PREFIX } from "./runtime/handleRuntime";
import { loaderScript } from "./runtime/loaderScript";
import { EmulatorState } from "./state";
import type { EmulatorContact, EmulatorSession, EmulatorStateView } from "./types";

/** A running emulator. Its lists are snapshots: read them again after a change. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:4100`: the REST host for `crisp-api`'s `setRestHost`. */
  readonly url: string;
  /** The browser runtime to load in place of Crisp's `https://client.crisp.chat/l.js`. */
  readonly scriptUrl: string;
  readonly port: number;
  readonly websiteId: string;
  /** The REST credentials it accepts. */
  readonly identifier: string;
  readonly key: string;
  /** Live state for the operator view and custom tooling; `subscribe` fires after every change. */
  readonly state: EmulatorStateView;
  sessions(): EmulatorSession[];
  contacts(): EmulatorContact[];
  /**
   * Handled REST requests (`/v1/...`) in arrival order, faulted ones included: the latest `REQUEST_LOG_LIMIT`
   * (10,000) of them, or only those after `since` (a `seq` from an earlier record, or an earlier `requestCount()`).
   */
  requests(options?: { since?: number }): RestRequestRecord[];
  /** How many REST requests were handled since the start, including those the log no longer keeps. */
  requestCount(): number;
  /** Stops listening and ends every connection, hung ones included. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a local Crisp on 127.0.0.1: REST API v1, the `$crisp` runtime at `/l.js` and the operator view.
 *
 * @example
 * const emulator = await startEmulator();
 * await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/conversation`, { method: "POST", headers });
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const state = new EmulatorState();
  const log = new RequestLog();
  const handleRest = createRestHandler(resolved, state, log);
  const sockets = new Set<Socket>();
  let url = "";

  type Handled = { kind: EmulatorLogEntry["kind"]; fault?: FaultKind };
  // `handled` is filled in before anything is sent, since a response may close before this promise settles.
  const dispatch = async (req: IncomingMessage, res: ServerResponse, pathname: string, handled: Handled) => {
    const isRest = pathname === "/v1" || pathname.startsWith("/v1/");
    const ours = isRest || pathname === "/l.js" || pathname.startsWith(RUNTIME_PREFIX);
    if (ours) {
      setCors(req, res);
      if (req.method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
    }
    if (isRest) {
      handled.kind = "rest";
      await handleRest(req, res, pathname, (fault) => {
        handled.fault = fault;
      });
      return;
    }
    if (pathname === "/l.js") {
      handled.kind = "script";
      const script = loaderScript(url);
      res.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Content-Length": Buffer.byteLength(script),
        "Cache-Control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : script);
      return;
    }
    if (pathname.startsWith(RUNTIME_PREFIX)) {
      handled.kind = "runtime";
      await handleRuntime(req, res, pathname, state, resolved.websiteId);
      return;
    }
    handled.kind = "operator";
    if (handleOperatorRequest(req, res, state)) return;
    handled.kind = "other";
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    let pathname = "/";
    try {
      pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    } catch {
      // A malformed request line keeps "/" and ends up as a 404.
    }
    const handled: Handled = { kind: "other" };
    res.on("close", () => {
      resolved.onRequest?.({
        method: req.method ?? "GET",
        path: pathname,
        status: res.headersSent ? res.statusCode : 0,
        ...handled,
        durationMs: Math.round(performance.now() - started),
      });
    });
    const refused = refusal(req, resolved.access);
    if (refused) {
      handled.kind = "refused";
      res.writeHead(refused.status, { "Content-Type": "text/plain; charset=utf-8" }).end(`${refused.message}\n`);
      return;
    }
    dispatch(req, res, pathname, handled).catch((error: unknown) => {
      if (isAbort(error)) {
        // The client gave up mid-request (a closed tab, a timeout): routine, so one line at most.
        if (!resolved.quiet) console.error(`[crisp-emulator] ${req.method} ${pathname}: the client went away`);
      } else {
        console.error(`[crisp-emulator] ${req.method} ${pathname} failed:`, error);
      }
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`[crisp-emulator] port ${resolved.port} on 127.0.0.1 is in use: pick another with port/--port`)
          : error,
      );
    };
    server.once("error", onError);
    server.listen(resolved.port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : resolved.port;
  url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    scriptUrl: `${url}/l.js`,
    port,
    websiteId: resolved.websiteId,
    identifier: resolved.identifier,
    key: resolved.key,
    state,
    sessions: () => state.sessions(),
    contacts: () => state.contacts(),
    requests: (options = {}) => log.list(options.since),
    requestCount: () => log.total,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Node's error for a request body cut short by the client (`Error: aborted`, code `ECONNRESET`). */
function isAbort(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ECONNRESET" || code === "ECONNABORTED";
}
