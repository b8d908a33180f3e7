import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";
import { rest, site } from "./helpers";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

async function newConversation(): Promise<string> {
  const created = await rest(emulator, "POST", `${site(emulator)}/conversation`);
  return created.body?.data.session_id as string;
}

describe("conversations", () => {
  it("creates a conversation and answers its session_id in Crisp's envelope", async () => {
    const created = await rest(emulator, "POST", `${site(emulator)}/conversation`);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      error: false,
      reason: "resolved",
      data: { session_id: expect.stringMatching(/^session_/) },
    });
    expect(emulator.sessions().map((session) => session.sessionId)).toEqual([created.body?.data.session_id]);
  });

  it("replaces the conversation data whole on a meta PATCH and updates identity", async () => {
    const id = await newConversation();
    const meta = `${site(emulator)}/conversation/${id}/meta`;
    expect((await rest(emulator, "PATCH", meta, { data: { plan: "pro", seats: 3 } })).status).toBe(200);
    const patched = await rest(emulator, "PATCH", meta, { data: { seats: 4 }, nickname: "Ada", phone: "+33 6" });
    expect(patched.body).toEqual({ error: false, reason: "resolved", data: {} });

    const read = await rest(emulator, "GET", meta);
    expect(read.body?.data).toMatchObject({ nickname: "Ada", phone: "+33 6", email: null });
    // `plan` is gone: the PATCH's data replaced the conversation's data, it was not merged.
    expect(read.body?.data.data).toEqual({ seats: 4 });
    expect(emulator.sessions()[0]?.data).toEqual({ seats: 4 });
  });

  it("refuses invalid meta data with 400 invalid_data and changes nothing", async () => {
    const id = await newConversation();
    const meta = `${site(emulator)}/conversation/${id}/meta`;
    await rest(emulator, "PATCH", meta, { data: { plan: "pro" } });
    const refused = await rest(emulator, "PATCH", meta, {
      data: { Plan: "x", ok: "y", deep: { a: 1 } },
      nickname: "Bob",
    });
    expect(refused.status).toBe(400);
    expect(refused.body?.reason).toBe("invalid_data");
    expect(refused.body?.data.message).toContain('"Plan"');
    expect(refused.body?.data.issues).toEqual([
      { key: "Plan", code: "invalid_key" },
      { key: "deep", code: "invalid_value" },
    ]);
    expect(emulator.sessions()[0]).toMatchObject({ data: { plan: "pro" }, nickname: null });
    expect((await rest(emulator, "PATCH", meta, { email: "not-an-email" })).status).toBe(400);
    expect((await rest(emulator, "PATCH", meta, "{broken")).body?.reason).toBe("invalid_data");
  });

  it("answers 404 not_found for an unknown session or website", async () => {
    const unknownSession = await rest(emulator, "GET", `${site(emulator)}/conversation/session_nope/meta`);
    expect(unknownSession.status).toBe(404);
    expect(unknownSession.body).toMatchObject({ error: true, reason: "not_found" });
    const unknownSite = await rest(emulator, "POST", "/v1/website/other-site/conversation");
    expect(unknownSite.status).toBe(404);
    expect(emulator.sessions()).toEqual([]);
  });

  it("answers 404 not_found for a route it does not know", async () => {
    const unknown = await rest(emulator, "DELETE", `${site(emulator)}/conversation`);
    expect(unknown.status).toBe(404);
    expect(unknown.body?.reason).toBe("not_found");
  });
});

describe("people", () => {
  it("creates a profile and reads, merges, replaces and clears its data by id or encoded email", async () => {
    const created = await rest(emulator, "POST", `${site(emulator)}/people/profile`, {
      email: "Ada+test@Example.com",
      person: { nickname: "Ada" },
    });
    expect(created.status).toBe(200);
    const peopleId = created.body?.data.people_id as string;
    expect(emulator.contacts()).toMatchObject([{ peopleId, email: "ada+test@example.com", nickname: "Ada", data: {} }]);

    const byEmail = `${site(emulator)}/people/data/${encodeURIComponent("ada+test@example.com")}`;
    const byId = `${site(emulator)}/people/data/${peopleId}`;
    expect((await rest(emulator, "PATCH", byEmail, { data: { plan: "pro", seats: 2 } })).status).toBe(200);
    expect((await rest(emulator, "PATCH", byId, { data: { seats: 3, trial: "" } })).status).toBe(200);
    expect((await rest(emulator, "GET", byId)).body).toEqual({
      error: false,
      reason: "resolved",
      data: { data: { plan: "pro", seats: 3 } },
    });

    await rest(emulator, "PUT", byEmail, { data: { vip: true } });
    expect((await rest(emulator, "GET", byEmail)).body?.data).toEqual({ data: { vip: true } });
    await rest(emulator, "PATCH", byEmail, { data: { vip: "", extra: 1 } });
    expect(emulator.contacts()[0]?.data).toEqual({ extra: 1 });
    // null deletes too, as the README says.
    await rest(emulator, "PATCH", byEmail, { data: { extra: null } });
    expect(emulator.contacts()[0]?.data).toEqual({});
    await rest(emulator, "PUT", byId, { data: { a: 1 } });
    await rest(emulator, "PUT", byId, { data: {} });
    expect(emulator.contacts()[0]?.data).toEqual({});
  });

  it("answers 404 for people data of an unknown contact and 409 for a duplicate profile", async () => {
    const missing = await rest(emulator, "GET", `${site(emulator)}/people/data/${encodeURIComponent("no@one.io")}`);
    expect(missing.status).toBe(404);
    expect(missing.body?.reason).toBe("not_found");
    expect((await rest(emulator, "PATCH", `${site(emulator)}/people/data/nobody`, { data: { a: 1 } })).status).toBe(
      404,
    );

    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    const duplicate = await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "A@b.io" });
    expect(duplicate.status).toBe(409);
    expect(emulator.contacts()).toHaveLength(1);
  });

  it("rejects invalid people data with 400 invalid_data naming the key", async () => {
    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    const path = `${site(emulator)}/people/data/${encodeURIComponent("a@b.io")}`;
    const refused = await rest(emulator, "PATCH", path, { data: { "Order ID": 1, fine: 2 } });
    expect(refused.status).toBe(400);
    expect(refused.body?.data.message).toContain('"Order ID"');
    expect((await rest(emulator, "PUT", path, { data: { n: Number.POSITIVE_INFINITY } })).status).toBe(200);
    expect((await rest(emulator, "PUT", path, { plan: "unwrapped" })).status).toBe(400);
    expect((await rest(emulator, "PUT", path, { data: { long: "x".repeat(501) } })).status).toBe(400);
    expect((await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "nope" })).status).toBe(400);
    expect(emulator.contacts()[0]?.data).toEqual({});
  });

  it("keeps a __proto__ key as plain data", async () => {
    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    const path = `${site(emulator)}/people/data/a@b.io`;
    await rest(emulator, "PATCH", path, '{"data":{"__proto__":"x","plan":"pro"}}');
    const data = emulator.contacts()[0]?.data ?? {};
    expect(Object.keys(data).sort()).toEqual(["__proto__", "plan"]);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it("answers HEAD on a profile with 200 or 404", async () => {
    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    expect((await rest(emulator, "HEAD", `${site(emulator)}/people/profile/a@b.io`)).status).toBe(200);
    expect((await rest(emulator, "HEAD", `${site(emulator)}/people/profile/c@d.io`)).status).toBe(404);
  });
});

describe("auth", () => {
  it.each([
    ["a wrong key", { key: "wrong" }],
    ["a wrong identifier", { identifier: "wrong" }],
    ["no tier", { tier: null }],
    ["an unknown tier", { tier: "admin" }],
  ])("answers 401 for %s and applies nothing", async (_label, auth) => {
    const refused = await rest(emulator, "POST", `${site(emulator)}/conversation`, undefined, auth);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: true, reason: "unauthorized" });
    expect(emulator.sessions()).toEqual([]);
  });

  it("accepts the plugin, website and user tiers with configured credentials", async () => {
    const custom = await startEmulator({ identifier: "id-1", key: "secret", websiteId: "site-1" });
    try {
      for (const tier of ["plugin", "website", "user"]) {
        const call = await rest(custom, "POST", "/v1/website/site-1/conversation", undefined, { tier });
        expect(call.status).toBe(200);
      }
      const noAuth = await fetch(`${custom.url}/v1/website/site-1/conversation`, { method: "POST" });
      expect(noAuth.status).toBe(401);
    } finally {
      await custom.close();
    }
  });
});

describe("requests()", () => {
  it("lists every handled REST request with its status, and not the browser runtime's", async () => {
    await rest(emulator, "POST", `${site(emulator)}/conversation`);
    await rest(emulator, "GET", `${site(emulator)}/people/data/a%40b.io`);
    await rest(emulator, "POST", `${site(emulator)}/conversation`, undefined, { key: "bad" });
    await fetch(`${emulator.url}/l.js`);
    expect(emulator.requests()).toEqual([
      { seq: 1, method: "POST", path: `${site(emulator)}/conversation`, status: 200 },
      { seq: 2, method: "GET", path: `${site(emulator)}/people/data/a%40b.io`, status: 404 },
      { seq: 3, method: "POST", path: `${site(emulator)}/conversation`, status: 401 },
    ]);
    expect(emulator.requestCount()).toBe(3);
    // `since` lists what came after a record (or after a count read earlier).
    expect(emulator.requests({ since: 2 }).map((request) => request.status)).toEqual([401]);
    expect(emulator.requests({ since: 3 })).toEqual([]);
  });
});

describe("server", () => {
  it("answers loopback pages' preflights and serves 404 outside its routes", async () => {
    const preflight = await fetch(`${emulator.url}${site(emulator)}/conversation`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Headers": "authorization,x-crisp-tier" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, X-Crisp-Tier");
    expect((await fetch(`${emulator.url}/nothing-here`)).status).toBe(404);
  });

  it("binds 127.0.0.1 and reports a port in use clearly", async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The URL is built from a literal: prove the socket itself is bound to 127.0.0.1 alone. On Linux the whole of
    // 127/8 is loopback, so a server on 0.0.0.0 or :: would also answer at 127.0.0.2.
    if (process.platform === "linux") {
      await expect(fetch(`http://127.0.0.2:${emulator.port}/l.js`)).rejects.toThrow();
      expect((await fetch(`http://127.0.0.1:${emulator.port}/l.js`)).status).toBe(200);
    }
    await expect(startEmulator({ port: emulator.port })).rejects.toThrow(/in use/);
  });

  it("logs every finished request through onRequest", async () => {
    const entries: unknown[] = [];
    const logged = await startEmulator({ onRequest: (entry) => entries.push(entry) });
    try {
      await fetch(`${logged.url}/l.js`);
      await rest(logged, "POST", `${site(logged)}/conversation`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(entries).toMatchObject([
        { method: "GET", path: "/l.js", status: 200, kind: "script" },
        { method: "POST", path: `${site(logged)}/conversation`, status: 200, kind: "rest" },
      ]);
    } finally {
      await logged.close();
    }
  });
});
