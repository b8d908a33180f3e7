import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorStateView } from "../types";

/**
 * Change tracking for one emulator state: a version that counts changes (pages embed it, so a client can tell
 * that it missed one) and the open event streams to notify.
 */
interface Hub {
  version: number;
  clients: Set<ServerResponse>;
  pending: ReturnType<typeof setTimeout> | undefined;
}

/** How long to gather changes before telling clients: one `$crisp.push` may change several things at once. */
const COALESCE_MS = 20;
/** A comment line now and then, so idle streams are not cut by proxies and dead ones get noticed. */
const HEARTBEAT_MS = 15_000;
/** How soon a browser reconnects after the emulator went away (EventSource's `retry`). */
const RETRY_MS = 1_000;

// Keyed by the state itself: the handler is a plain function called per request, and a WeakMap lets a closed
// emulator's hub be collected with its state.
const hubs = new WeakMap<EmulatorStateView, Hub>();

function hubFor(state: EmulatorStateView): Hub {
  const existing = hubs.get(state);
  if (existing) return existing;
  const hub: Hub = { version: 0, clients: new Set(), pending: undefined };
  state.subscribe(() => {
    hub.version += 1;
    if (hub.pending) return;
    hub.pending = setTimeout(() => {
      hub.pending = undefined;
      broadcast(hub, "change", { version: hub.version });
    }, COALESCE_MS);
    hub.pending.unref?.();
  });
  hubs.set(state, hub);
  return hub;
}

/** What a page embeds and `/operator/state.json` starts with: which emulator, and how many changes so far. */
export function infoOf(state: EmulatorStateView): { instanceId: string; startedAt: number; version: number } {
  return { instanceId: state.instanceId, startedAt: state.startedAt, version: hubFor(state).version };
}

/** Serves `/operator/events`: a `hello` with the instance and version, then a `change` after each change. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, state: EmulatorStateView): void {
  const hub = hubFor(state);
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  res.write(`retry: ${RETRY_MS}\n\n`);
  send(res, "hello", infoOf(state));
  hub.clients.add(res);
  const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
  heartbeat.unref?.();
  res.on("close", () => {
    clearInterval(heartbeat);
    hub.clients.delete(res);
  });
}

function broadcast(hub: Hub, event: string, data: unknown): void {
  for (const client of hub.clients) send(client, event, data);
}

function send(res: ServerResponse, event: string, data: unknown): void {
  if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
