import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the hostile server answers one request. `ok` behaves like Crisp (people and meta data kept per path);
 * the rest are the ways a proxy, a captive portal or a broken upstream answers instead.
 */
export type Behaviour =
  | "ok"
  /** 200 with a sign-in page. */
  | "html"
  /** 200 with JSON cut in the middle (a complete HTTP message). */
  | "truncated"
  /** 200 with an empty body. */
  | "empty"
  /** Headers promise 1,000 bytes; 20 arrive, then the socket closes. */
  | "cut"
  /** Headers, then a byte every 50 ms, forever. */
  | "never-ending"
  /** A 200 streaming 64 KiB chunks for as long as the client reads. */
  | "huge"
  /** 429 with `Retry-After: 999999` (11.5 days). */
  | "absurd-retry-after"
  /** 307 to another path on this server. */
  | "redirect"
  /** No answer at all; the socket stays open until the client gives up. */
  | "silent";

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly behaviour: Behaviour;
}

export interface HostileServer {
  /** API root to pass as `baseUrl`, e.g. `http://127.0.0.1:PORT/v1/`. */
  readonly baseUrl: string;
  readonly requests: SeenRequest[];
  /** What `ok` holds: the `data` map per path (without `/v1/`). */
  readonly store: Map<string, Record<string, unknown>>;
  /** Bytes sent by `huge` answers so far. */
  readonly hugeBytesSent: number;
  close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 (a free port) that answers each request as `script` says. Real sockets, so
 * the client's own fetch, timeouts, body reading and redirects are what is tested.
 *
 * @example
 * const server = await startHostileServer((req) => (req.method === "GET" ? "html" : "ok"));
 */
export async function startHostileServer(
  script: (request: { method: string; path: string; index: number }) => Behaviour,
): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const store = new Map<string, Record<string, unknown>>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  let hugeBytesSent = 0;

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const behaviour = script({ method, path, index: requests.length });
    requests.push({ method, path, body, behaviour });
    answer(behaviour, method, path, body, res);
  });

  function answer(behaviour: Behaviour, method: string, path: string, body: string, res: ServerResponse): void {
    switch (behaviour) {
      case "ok":
        ok(method, path, body, res);
        return;
      case "html":
        res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>Sign in to continue</body></html>");
        return;
      case "truncated":
        res
          .writeHead(200, { "Content-Type": "application/json" })
          .end('{"error":false,"reason":"resolved","data":{"da');
        return;
      case "empty":
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "0" }).end();
        return;
      case "cut":
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
        res.write('{"error":false,"data"');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      case "never-ending": {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write("{");
        const timer = setInterval(() => res.write(" "), 50);
        timers.add(timer);
        res.on("close", () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case "huge": {
        res.writeHead(200, { "Content-Type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!res.destroyed) {
            hugeBytesSent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
        };
        res.write('{"error":false,"pad":"');
        pump();
        return;
      }
      case "absurd-retry-after":
        res
          .writeHead(429, { "Content-Type": "application/json", "Retry-After": "999999" })
          .end('{"error":true,"reason":"rate_limited","data":{}}');
        return;
      case "redirect":
        res.writeHead(307, { Location: "/elsewhere" }).end();
        return;
      case "silent":
        return;
    }
  }

  function ok(method: string, path: string, body: string, res: ServerResponse): void {
    const key = path.replace(/^\/v1\//, "");
    if (method === "GET") {
      json(res, 200, { error: false, reason: "resolved", data: { data: store.get(key) ?? {} } });
      return;
    }
    const data = (JSON.parse(body || "{}") as { data?: Record<string, unknown> }).data ?? {};
    store.set(key, method === "PATCH" && key.includes("/people/") ? { ...store.get(key), ...data } : data);
    json(res, 200, { error: false, reason: "updated", data: {} });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1/`,
    requests,
    store,
    get hugeBytesSent() {
      return hugeBytesSent;
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening: bound once to pick it, then released. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
