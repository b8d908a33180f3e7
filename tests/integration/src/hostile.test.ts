import { CrispAbortError, CrispApiError, CrispTimeoutError, createCrispRestClient } from "@crisp-data/core/server";
import { afterEach, describe, expect, it } from "vitest";
import { type Behaviour, deadPort, type HostileServer, startHostileServer } from "./hostileServer";

const open: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function hostile(script: Parameters<typeof startHostileServer>[0]) {
  const server = await startHostileServer(script);
  open.push(server);
  return server;
}

const credentials = { identifier: "id", key: "key" };
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };
const SESSION = "website/w/conversation/s/meta";

describe("a hostile server on loopback", () => {
  it.each<Behaviour>(["html", "truncated", "empty", "cut"])(
    "GET answering %s: no PATCH is ever sent and the session keeps its keys",
    async (behaviour) => {
      const server = await hostile(({ method }) => (method === "GET" ? behaviour : "ok"));
      server.store.set(SESSION, { kept: "yes", other: 2 });
      const crisp = createCrispRestClient({ ...credentials, baseUrl: server.baseUrl, retry: fast });
      const error = await crisp.setSessionData("w", "s", { plan: "pro" }).catch((e: unknown) => e);
      expect(server.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
      expect(server.store.get(SESSION)).toEqual({ kept: "yes", other: 2 });
      if (behaviour === "cut") {
        // The body broke off mid-stream: a network error, retried the same way.
        expect(error).toBeInstanceOf(TypeError);
      } else {
        expect(error).toBeInstanceOf(CrispApiError);
        expect(error).toMatchObject({ status: 200, reason: "invalid_response" });
      }
      expect((await crisp.flush()).failures).toHaveLength(1);
    },
  );

  it("a contact deletion after an HTML GET never PUTs {} over the contact", async () => {
    const server = await hostile(({ method }) => (method === "GET" ? "html" : "ok"));
    const path = "website/w/people/data/ada%40example.com";
    server.store.set(path, { plan: "free", seats: 3 });
    const crisp = createCrispRestClient({ ...credentials, baseUrl: server.baseUrl, retry: fast });
    await expect(crisp.setContactData("w", "ada@example.com", { plan: null })).rejects.toMatchObject({
      reason: "invalid_response",
    });
    expect(server.requests.some((r) => r.method === "PUT")).toBe(false);
    expect(server.store.get(path)).toEqual({ plan: "free", seats: 3 });
  });

  it("a never-ending body times out (body included) instead of hanging", async () => {
    const server = await hostile(() => "never-ending");
    const crisp = createCrispRestClient({
      ...credentials,
      baseUrl: server.baseUrl,
      timeoutMs: 200,
      retry: { ...fast, retries: 1 },
    });
    await expect(crisp.getSessionData("w", "s")).rejects.toBeInstanceOf(CrispTimeoutError);
    expect(server.requests).toHaveLength(2);
  });

  it("a huge body fails as response_too_large once past the cap, and the client stops reading", async () => {
    const server = await hostile(() => "huge");
    const crisp = createCrispRestClient({
      ...credentials,
      baseUrl: server.baseUrl,
      maxResponseBytes: 256 * 1024,
      retry: { ...fast, retries: 0 },
    });
    const error = await crisp.getContactData("w", "p").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 200, reason: "response_too_large" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = server.hugeBytesSent;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The connection was dropped: the server is no longer streaming into it.
    expect(server.hugeBytesSent).toBe(sent);
  });

  it("an absurd Retry-After fails that write at once and does not hold back a write to another contact", async () => {
    const server = await hostile(({ index }) => (index === 0 ? "absurd-retry-after" : "ok"));
    const crisp = createCrispRestClient({ ...credentials, baseUrl: server.baseUrl });
    await expect(crisp.setContactData("w", "a@example.com", { a: 1 })).rejects.toMatchObject({
      status: 429,
      reason: "rate_limited",
    });
    await crisp.setContactData("w", "b@example.com", { b: 1 });
    expect(server.store.get("website/w/people/data/b%40example.com")).toEqual({ b: 1 });
    expect(server.requests.map((r) => r.behaviour)).toEqual(["absurd-retry-after", "ok"]);
  });

  it("does not follow a redirect on a write", async () => {
    const server = await hostile(({ path }) => (path === "/elsewhere" ? "ok" : "redirect"));
    const crisp = createCrispRestClient({ ...credentials, baseUrl: server.baseUrl, retry: fast });
    await expect(crisp.setContactData("w", "a@example.com", { a: 1 })).rejects.toMatchObject({ status: 307 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PATCH /v1/website/w/people/data/a%40example.com",
    ]);
  });

  it("1,000 pending contacts against a refused port all fail with the connection error, with default options", async () => {
    const port = await deadPort();
    const crisp = createCrispRestClient({ ...credentials, baseUrl: `http://127.0.0.1:${port}/v1/` });
    for (let i = 0; i < 1_000; i++) void crisp.setContactData("w", `user${i}@example.com`, { n: i });
    const report = await crisp.flush();
    expect(report.failures).toHaveLength(1_000);
    for (const { error } of report.failures) {
      expect(error).toBeInstanceOf(TypeError);
      expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
    }
    // Failed together: far fewer attempts than 1,000 writes spending 5 each.
    expect(report.requests).toBeLessThan(5_000);
    expect(crisp.pending).toBe(0);
  });

  it("flush({ timeoutMs }) against a silent server settles, aborting the requests in flight", async () => {
    const server = await hostile(() => "silent");
    const crisp = createCrispRestClient({ ...credentials, baseUrl: server.baseUrl, concurrency: 2 });
    for (let i = 0; i < 10; i++) void crisp.setContactData("w", `user${i}@example.com`, { n: i });
    const report = await crisp.flush({ timeoutMs: 300 });
    expect(report.failures).toHaveLength(10);
    for (const { error } of report.failures) expect(error).toBeInstanceOf(CrispAbortError);
    // Only the two lanes' requests ever reached the server.
    expect(server.requests).toHaveLength(2);
  });
});
