import { CrispApiError } from "@crisp-data/core/server";
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

  it("fails at once with CrispApiError on a 404 and reports it", async () => {
    const env = await emulatorWithClient();
    open.push(env.emulator);
    const error = await env.crisp
      .setContactData(env.websiteId, "nobody@example.com", { a: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 404, reason: "not_found" });
    const report = await env.crisp.flush();
    expect(report.requests).toBe(1);
    expect(report.failures).toHaveLength(1);
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
