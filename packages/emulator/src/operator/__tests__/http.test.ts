import { get, type IncomingMessage, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { rest, site } from "../../__tests__/helpers";
import { startEmulator } from "../../index";
import { FakeState, seededState, serveOperator, XSS } from "./fakeState";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(state: FakeState) {
  const server = await serveOperator(() => state);
  cleanups.push(server.close);
  return server;
}

interface SseEvent {
  event: string;
  data: string;
}

/** Opens an event stream and hands out its events in order. */
function openEvents(url: string): Promise<{ next: () => Promise<SseEvent>; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (response) => {
      const queue: SseEvent[] = [];
      const waiting: Array<(event: SseEvent) => void> = [];
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) {
            const waiter = waiting.shift();
            if (waiter) waiter({ event, data });
            else queue.push({ event, data });
          }
          end = buffer.indexOf("\n\n");
        }
      });
      cleanups.push(() => {
        req.destroy();
      });
      resolve({
        response,
        next: () =>
          new Promise<SseEvent>((done) => {
            const ready = queue.shift();
            if (ready) done(ready);
            else waiting.push(done);
          }),
      });
    });
    req.on("error", reject);
  });
}

describe("routes", () => {
  it("serves the overview at / as escaped HTML with a nonce'd CSP and no caching", async () => {
    const { url } = await serve(seededState());
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.text();
    const nonce = /<script nonce="([^"]+)">/.exec(body)?.[1];
    expect(nonce).toBeTruthy();
    expect(response.headers.get("content-security-policy")).toContain(`script-src 'nonce-${nonce}'`);
    expect(body).toContain("session_ada");
    expect(body).not.toContain(XSS);
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // A fresh nonce per response.
    const again = await (await fetch(`${url}/`)).text();
    expect(/<script nonce="([^"]+)">/.exec(again)?.[1]).not.toBe(nonce);
  });

  it("gives each conversation and contact a stable link, 404 for unknown ids", async () => {
    const { url } = await serve(seededState());
    expect((await fetch(`${url}/operator/conversation/session_ada`)).status).toBe(200);
    expect((await fetch(`${url}/operator/contact/people_bob`)).status).toBe(200);
    const gone = await fetch(`${url}/operator/conversation/session_gone`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain("may have restarted");
    expect((await fetch(`${url}/operator/conversation/%E0%A4%A`)).status).toBe(404);
    expect((await fetch(`${url}/operator/nope`)).status).toBe(404);
    expect((await fetch(`${url}/operator`)).status).toBe(200);
  });

  it("serves the shortcut and audience previews from query parameters", async () => {
    const { url } = await serve(seededState());
    const template = encodeURIComponent("Plan {{ data.plan }} for {{ email }}{{ data.nope }}");
    const shortcut = await (await fetch(`${url}/operator/shortcut?session=session_ada&template=${template}`)).text();
    expect(shortcut).toContain('data-text="Plan pro for ada@example.com"');
    expect(shortcut).toContain('data-missing="data.nope"');
    const audience = await (await fetch(`${url}/operator/audience?q=${encodeURIComponent("plan = basic")}`)).text();
    expect(audience).toContain("1 of 2 contacts match");
    expect(audience).toContain("bob@example.com");
  });

  it("serves the state as JSON with contacts' derived country", async () => {
    const state = seededState("instance-json");
    const { url } = await serve(state);
    const response = await fetch(`${url}/operator/state.json`);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const json = (await response.json()) as {
      instanceId: string;
      version: number;
      conversations: Array<{ sessionId: string }>;
      contacts: Array<{ email: string; country: string; sessionIds: string[] }>;
    };
    expect(json.instanceId).toBe("instance-json");
    expect(json.version).toBe(0);
    expect(json.conversations.map((session) => session.sessionId)).toEqual(["session_bob", "session_ada"]);
    expect(json.contacts[1]).toMatchObject({ email: "ada@example.com", country: "FR", sessionIds: ["session_ada"] });
  });

  it("leaves other paths to the server, refuses writes and answers HEAD without a body", async () => {
    const { url } = await serve(seededState());
    for (const path of ["/favicon.ico", "/operatorx", "/v2/anything"]) {
      const response = await fetch(`${url}${path}`);
      expect(await response.text()).toBe("other");
    }
    const post = await fetch(`${url}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(`${url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(1000);
    expect(await head.text()).toBe("");
  });
});

describe("live updates", () => {
  it("sends hello with the instance and version, then a change after each state change", async () => {
    const state = seededState("instance-live");
    const { url } = await serve(state);
    const events = await openEvents(`${url}/operator/events`);
    expect(events.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    const hello = await events.next();
    expect(hello.event).toBe("hello");
    expect(JSON.parse(hello.data)).toMatchObject({ instanceId: "instance-live", version: 0 });

    state.updateSession("session_ada", { data: { plan: "enterprise" } });
    const change = await events.next();
    expect(change).toEqual({ event: "change", data: JSON.stringify({ version: 1 }) });

    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('data-version="1"');
    expect(page).toContain("enterprise");
  });

  it("coalesces a burst of changes into one event carrying the latest version", async () => {
    const state = seededState();
    const { url } = await serve(state);
    const events = await openEvents(`${url}/operator/events`);
    await events.next();
    state.updateSession("session_ada", { nickname: "A" });
    state.updateSession("session_ada", { nickname: "B" });
    state.updateSession("session_ada", { nickname: "C" });
    expect(await events.next()).toEqual({ event: "change", data: JSON.stringify({ version: 3 }) });
    state.addSession({ sessionId: "session_new" });
    expect(await events.next()).toEqual({ event: "change", data: JSON.stringify({ version: 4 }) });
  });

  it("subscribes to the state once however many pages and streams are served", async () => {
    const state = seededState();
    const { url } = await serve(state);
    await fetch(`${url}/`);
    const a = await openEvents(`${url}/operator/events`);
    const b = await openEvents(`${url}/operator/events`);
    await Promise.all([a.next(), b.next()]);
    expect(state.listenerCount()).toBe(1);
    state.addSession({ sessionId: "session_both" });
    expect((await a.next()).event).toBe("change");
    expect((await b.next()).event).toBe("change");
  });

  it("tells a reconnecting client that the emulator restarted (a new instanceId)", async () => {
    let state = seededState("instance-1");
    const server = await serveOperator(() => state);
    cleanups.push(server.close);
    const first = await openEvents(`${server.url}/operator/events`);
    expect(JSON.parse((await first.next()).data).instanceId).toBe("instance-1");
    state = new FakeState("instance-2");
    const second = await openEvents(`${server.url}/operator/events`);
    expect(JSON.parse((await second.next()).data)).toMatchObject({ instanceId: "instance-2", version: 0 });
  });

  it("stops writing to a stream once its client left", async () => {
    const state = seededState();
    const { url } = await serve(state);
    const closed = new Promise<void>((resolve) => {
      const req = request(`${url}/operator/events`, (response) => {
        response.once("data", () => {
          req.destroy();
          setTimeout(resolve, 50);
        });
      });
      req.end();
    });
    await closed;
    // Would throw "write after end" if the hub still held the closed response.
    state.addSession({ sessionId: "session_after" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fetch(`${url}/`)).status).toBe(200);
  });
});

describe("inside the real emulator", () => {
  it("serves the view at / and streams changes made through the REST API", async () => {
    const emulator = await startEmulator();
    cleanups.push(() => emulator.close());
    const page = await (await fetch(`${emulator.url}/`)).text();
    expect(page).toContain(`data-instance="${emulator.state.instanceId}"`);
    const events = await openEvents(`${emulator.url}/operator/events`);
    expect(JSON.parse((await events.next()).data).instanceId).toBe(emulator.state.instanceId);

    const created = await rest(emulator, "POST", `${site(emulator)}/conversation`);
    const sessionId = String(created.body?.data.session_id);
    await rest(emulator, "PATCH", `${site(emulator)}/conversation/${sessionId}/meta`, { data: { plan: "pro" } });
    expect((await events.next()).event).toBe("change");
    const detail = await fetch(`${emulator.url}/operator/conversation/${encodeURIComponent(sessionId)}`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain("<dt>plan</dt>");
    // The REST API stays the server's: the operator view never answers under /v1/.
    expect((await fetch(`${emulator.url}/v1/nothing`)).headers.get("content-type")).toContain("application/json");
  });
});
