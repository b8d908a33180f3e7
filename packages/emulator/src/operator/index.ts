import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorStateView } from "../types";
import { layout } from "./layout";
import { infoOf, openEventStream } from "./live";
import { snapshot } from "./model";
import {
  notFound,
  type Page,
  renderAudience,
  renderContact,
  renderConversation,
  renderOverview,
  renderShortcut,
} from "./render";

/**
 * The operator view's HTTP entry: `/` and everything under `/operator/`. Returns false for any other path so the
 * server can answer it (404). Routes:
 * - `/` overview (conversations and contacts), `/operator/conversation/<sessionId>`, `/operator/contact/<peopleId>`
 *   (stable links), `/operator/shortcut?session=&template=`, `/operator/audience?q=`;
 * - `/operator/events` server-sent events, `/operator/state.json` the whole state as JSON (also the poll target).
 */
export function handleOperatorRequest(req: IncomingMessage, res: ServerResponse, state: EmulatorStateView): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://127.0.0.1");
  } catch {
    return false;
  }
  const path = url.pathname;
  if (path !== "/" && path !== "/operator" && !path.startsWith("/operator/")) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
    res.end("The operator view is read-only: use GET.\n");
    return true;
  }
  if (path === "/operator/events") {
    openEventStream(req, res, state);
    return true;
  }
  if (path === "/operator/state.json") {
    sendBody(req, res, 200, "application/json; charset=utf-8", JSON.stringify({ ...infoOf(state), ...lists(state) }));
    return true;
  }
  const page = routePage(path, url.searchParams, state);
  const nonce = randomBytes(16).toString("base64");
  const body = layout({ ...page, instanceId: state.instanceId, version: infoOf(state).version, nonce }).toString();
  sendBody(req, res, page.status, "text/html; charset=utf-8", body, {
    // Defence in depth behind the escaping: only our own nonce'd script runs, nothing loads from elsewhere.
    "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    "Referrer-Policy": "no-referrer",
  });
  return true;
}

function lists(state: EmulatorStateView) {
  const { conversations, contacts } = snapshot(state);
  return { conversations, contacts };
}

function routePage(path: string, params: URLSearchParams, state: EmulatorStateView): Page {
  const snap = snapshot(state);
  if (path === "/" || path === "/operator" || path === "/operator/") return renderOverview(snap);
  if (path === "/operator/shortcut") {
    return renderShortcut(snap, { sessionId: params.get("session"), template: params.get("template") });
  }
  if (path === "/operator/audience") return renderAudience(snap, { query: params.get("q") });
  const detail = /^\/operator\/(conversation|contact)\/([^/]+)$/.exec(path);
  const id = detail?.[2] ? safeDecode(detail[2]) : undefined;
  if (detail && id !== undefined) {
    return detail[1] === "conversation" ? renderConversation(snap, id) : renderContact(snap, id);
  }
  return notFound(`The page ${path}`);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
