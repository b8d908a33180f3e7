import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS for an origin already checked by `refusal` (access.ts): echo it, never `*`, so only the pages the user runs
 * on this machine (or allowed) can read answers.
 */
export function setCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader("Access-Control-Allow-Origin", origin);
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Crisp-Tier");
  // Chrome asks before a page may reach a loopback address; only allowed origins get this far.
  if (req.headers["access-control-request-private-network"] === "true") {
    res.setHeader("Access-Control-Allow-Private-Network", "true");
  }
  res.setHeader("Access-Control-Max-Age", "600");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req.method === "HEAD" ? undefined : text);
}

/** Crisp's envelope: `{ error, reason, data }`. */
export function sendEnvelope(
  res: ServerResponse,
  status: number,
  reason: string,
  data: unknown = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: status >= 400, reason, data }, headers);
}

export class BodyError extends Error {}

const MAX_BODY_BYTES = 1_000_000;

/** Reads a JSON body; an empty body is `undefined`. Throws `BodyError` on bad JSON or an oversized body. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyError("body too large");
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError("body is not JSON");
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
