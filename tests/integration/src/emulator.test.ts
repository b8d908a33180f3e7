import { CrispApiError, createCrispRestClient } from "@crisp-data/core/server";
import { afterEach, describe, expect, it } from "vitest";
import { emulatorWithClient } from "./helpers";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

describe("REST client against the emulator", () => {
  it("coalesces 100 setSessionData calls in a tick into 1 GET + 1 PATCH meta", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const sessionId = await env.createSession();
    const before = env.emulator.requests().length;
    for (let i = 0; i < 100; i++)
      void env.crisp.setSessionData(env.websiteId, sessionId, { plan: `p${i}`, [`k${i % 5}`]: i });
    const report = await env.crisp.flush();
    const log = env.emulator.requests().slice(before);
    expect(log.map((r) => [r.method, r.status])).toEqual([
      ["GET", 200],
      ["PATCH", 200],
    ]);
    expect(report).toEqual({ requests: 2, retries: 0, failures: [] });
    expect(env.emulator.sessions().find((s) => s.sessionId === sessionId)?.data).toEqual({
      plan: "p99",
      k0: 95,
      k1: 96,
      k2: 97,
      k3: 98,
      k4: 99,
    });
    expect(await env.crisp.getSessionData(env.websiteId, sessionId)).toEqual(
      env.emulator.sessions().find((s) => s.sessionId === sessionId)?.data,
    );
  });

  it("merges, deletes and replaces contact data addressed by an email", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const email = "ada+test@example.com";
    await env.createContact(email);
    const before = env.emulator.requests().length;
    await env.crisp.setContactData(env.websiteId, email, { plan: "pro", seats: 3, trial: true });
    await env.crisp.setContactData(env.websiteId, email, { trial: null, seats: 4 });
    expect(await env.crisp.getContactData(env.websiteId, email)).toEqual({ plan: "pro", seats: 4 });
    await env.crisp.replaceContactData(env.websiteId, email, { only: "this" });
    expect(env.emulator.contacts().find((c) => c.email === email)?.data).toEqual({ only: "this" });
    await env.crisp.replaceContactData(env.websiteId, email, {});
    expect(env.emulator.contacts().find((c) => c.email === email)?.data).toEqual({});
    const log = env.emulator.requests().slice(before);
    expect(log.map((r) => r.method)).toEqual(["PATCH", "GET", "PUT", "GET", "PUT", "PUT"]);
    expect(log[0]?.path).toBe(`/v1/website/${env.websiteId}/people/data/${encodeURIComponent(email)}`);
  });

  it("creates a missing contact (404 not_found on people/data): POST people/profile, then the data", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const before = env.emulator.requests().length;
    await env.crisp.setContactData(env.websiteId, "new@example.com", { plan: "pro", seats: 2 });
    await env.crisp.setContactData(env.websiteId, "grace@example.com", { plan: "team" }, { nickname: "Grace Hopper" });
    const log = env.emulator.requests().slice(before);
    expect(log.map((r) => [r.method, r.status])).toEqual([
      ["PATCH", 404],
      ["POST", 200],
      ["PATCH", 200],
      ["PATCH", 404],
      ["POST", 200],
      ["PATCH", 200],
    ]);
    const created = env.emulator.contacts().find((c) => c.email === "new@example.com");
    expect(created).toMatchObject({ nickname: "new", data: { plan: "pro", seats: 2 } });
    expect(env.emulator.contacts().find((c) => c.email === "grace@example.com")).toMatchObject({
      nickname: "Grace Hopper",
      data: { plan: "team" },
    });
    // Now it exists: one PATCH.
    await env.crisp.setContactData(env.websiteId, "new@example.com", { seats: 3 });
    expect(
      env.emulator
        .requests()
        .slice(before + 6)
        .map((r) => [r.method, r.status]),
    ).toEqual([["PATCH", 200]]);
    expect((await env.crisp.flush()).failures).toEqual([]);
  });

  it("a 409 on creation (the contact appeared meanwhile) goes straight to the data write", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const email = "race@example.com";
    let created = false;
    // Another writer creates the contact right after our first answer (the 404) is sent.
    const racing = createCrispRestClient({
      identifier: env.emulator.identifier,
      key: env.emulator.key,
      baseUrl: `${env.emulator.url}/v1/`,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 404 && !created) {
          created = true;
          await env.createContact(email);
        }
        return response;
      },
    });
    await racing.setContactData(env.websiteId, email, { plan: "pro" });
    const log = env.emulator.requests().filter((r) => r.path.includes("people"));
    expect(log.map((r) => [r.method, r.status])).toEqual([
      ["PATCH", 404],
      ["POST", 200],
      ["POST", 409],
      ["PATCH", 200],
    ]);
    expect(env.emulator.contacts().find((c) => c.email === email)?.data).toEqual({ plan: "pro" });
  });

  it("a non-email peopleId answering 404 fails with that 404 and creates nothing", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const error = await env.crisp
      .setContactData(env.websiteId, "00000000-0000-4000-8000-00000000dead", { a: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 404, reason: "not_found" });
    const report = await env.crisp.flush();
    expect(report.requests).toBe(1);
    expect(report.failures).toHaveLength(1);
    expect(env.emulator.contacts()).toEqual([]);
  });

  it("the README's backend example: credentials from CRISP_API_* at the first request, a new contact created", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const saved = { ...process.env };
    try {
      delete process.env.CRISP_API_IDENTIFIER;
      delete process.env.CRISP_API_KEY;
      // Module scope at build time: no secrets yet, and creating the client must not throw.
      const crisp = createCrispRestClient({ baseUrl: `${env.emulator.url}/v1/` });
      process.env.CRISP_API_IDENTIFIER = env.emulator.identifier;
      process.env.CRISP_API_KEY = env.emulator.key;
      crisp.setContactData(env.websiteId, "ada@example.com", { plan: "pro", plan_price: 95 });
      const report = await crisp.flush();
      expect(report.failures).toEqual([]);
      expect(env.emulator.contacts().find((c) => c.email === "ada@example.com")?.data).toEqual({
        plan: "pro",
        plan_price: 95,
      });
    } finally {
      process.env = saved;
    }
  });

  it("fails a write rate-limited past maxWaitMs as 429 rate_limited, and honours Retry-After", async () => {
    const env = await emulatorWithClient(
      { rateLimit: { perSecond: 1, status: 420, retryAfter: true } },
      { retry: { maxWaitMs: 300, minDelayMs: 10 } },
    );
    open.push(env.emulator);
    await env.createContact("a@example.com");
    await env.crisp.setContactData(env.websiteId, "a@example.com", { n: 1 });
    const error = await env.crisp.setContactData(env.websiteId, "a@example.com", { n: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, reason: "rate_limited" });
    // Retry-After (1 s) is longer than maxWaitMs, so the client gave up without hammering.
    expect(env.emulator.requests().filter((r) => r.method === "PATCH")).toHaveLength(2);
  });
});
