import { describe, expect, it } from "vitest";
import { CrispApiError, createCrispRestClient } from "../index";
import { base, type Fault, fakeCrisp } from "./fakeCrisp";

const fast = { minDelayMs: 1, maxDelayMs: 2, retries: 2 };

/** 200 answers a proxy, a captive portal or a broken upstream can give a GET. */
const unreadable: Array<[string, Fault]> = [
  [
    "HTML",
    { status: 200, body: "<html><body>Sign in to the Wi-Fi</body></html>", headers: { "Content-Type": "text/html" } },
  ],
  ["truncated JSON", { status: 200, body: '{"error":false,"reason":"resolved","data":{"data":{"kept":"y' }],
  ["an empty body", { status: 200, body: "" }],
  ["an envelope without data", { status: 200, body: '{"error":false,"reason":"resolved"}' }],
  ["data that is not an object", { status: 200, body: '{"error":false,"reason":"resolved","data":"ok"}' }],
  ["data.data that is an array", { status: 200, body: '{"error":false,"reason":"resolved","data":{"data":[1]}}' }],
  ["error: true on a 200", { status: 200, body: '{"error":true,"reason":"resolved","data":{"data":{}}}' }],
  ["no error field", { status: 200, body: '{"reason":"resolved","data":{"data":{}}}' }],
  ["JSON that is not an object", { status: 200, body: "[]" }],
];

describe("never merge on an unreadable read", () => {
  it.each(unreadable)(
    "setSessionData sends no PATCH after a GET answering %s, and reports invalid_response",
    async (_, fault) => {
      const api = fakeCrisp();
      api.sessions.set("w/s", { kept: "yes", other: 1 });
      api.fault(fault, fault, fault);
      const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
      const error = await crisp.setSessionData("w", "s", { plan: "pro" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrispApiError);
      expect(error).toMatchObject({ status: 200, reason: "invalid_response" });
      // Retried as transient (1 + 2 retries), and nothing written from a guessed map.
      expect(api.calls.map((c) => c.method)).toEqual(["GET", "GET", "GET"]);
      expect(api.sessions.get("w/s")).toEqual({ kept: "yes", other: 1 });
      const report = await crisp.flush();
      expect(report).toMatchObject({ requests: 3, retries: 2 });
      expect(report.failures.map((f) => f.error)).toEqual([error]);
    },
  );

  it.each(unreadable)("setContactData with a deletion sends no PUT after a GET answering %s", async (_, fault) => {
    const api = fakeCrisp();
    api.contacts.set("w/ada@x.com", { plan: "free", seats: 3 });
    api.fault(fault, fault, fault);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await expect(crisp.setContactData("w", "ada@x.com", { plan: null })).rejects.toMatchObject({
      reason: "invalid_response",
    });
    expect(api.calls.map((c) => c.method)).toEqual(["GET", "GET", "GET"]);
    expect(api.contacts.get("w/ada@x.com")).toEqual({ plan: "free", seats: 3 });
  });

  it("retries an unreadable read and then merges into the real map", async () => {
    const api = fakeCrisp();
    api.sessions.set("w/s", { kept: "yes" });
    api.fault({ status: 200, body: "<html>proxy</html>" });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await crisp.setSessionData("w", "s", { plan: "pro" });
    expect(api.sessions.get("w/s")).toEqual({ kept: "yes", plan: "pro" });
    expect(await crisp.flush()).toEqual({ requests: 3, retries: 1, failures: [] });
  });

  it("reads fail the same way instead of returning {}", async () => {
    const api = fakeCrisp();
    api.fault(...unreadable.slice(0, 3).map(([, fault]) => fault));
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await expect(crisp.getContactData("w", "p")).rejects.toMatchObject({ reason: "invalid_response", status: 200 });
  });

  it("accepts a write answered with error: false and no data, and a meta without custom data", async () => {
    const api = fakeCrisp();
    api.fault(
      { status: 200, body: '{"error":false,"reason":"resolved","data":{"nickname":"Ada"}}' },
      { status: 200, body: '{"error":false,"reason":"updated"}' },
    );
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await crisp.setSessionData("w", "s", { plan: "pro" });
    expect(api.calls.map((c) => [c.method, c.body])).toEqual([
      ["GET", undefined],
      ["PATCH", { data: { plan: "pro" } }],
    ]);
    expect(await crisp.flush()).toEqual({ requests: 2, retries: 0, failures: [] });
  });

  it("a write answered with an unreadable 200 is retried, then fails as invalid_response with the real status", async () => {
    const api = fakeCrisp();
    const html: Fault = { status: 202, body: "<html>accepted</html>" };
    api.fault(html, html, html);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await expect(crisp.setContactData("w", "p", { a: 1 })).rejects.toMatchObject({
      status: 202,
      reason: "invalid_response",
    });
    expect(api.calls).toHaveLength(3);
  });
});

describe("response hygiene", () => {
  it("reads bodies up to maxResponseBytes and fails past it with a typed error, declared or streamed", async () => {
    const api = fakeCrisp();
    const huge = `{"error":false,"reason":"resolved","data":{"data":{"pad":"${"x".repeat(2_000)}"}}}`;
    api.fault({ status: 200, body: huge }, { status: 200, body: huge, headers: { "Content-Length": String(10 ** 9) } });
    const crisp = createCrispRestClient({
      ...base,
      fetch: api.fetch,
      maxResponseBytes: 1_000,
      retry: { ...fast, retries: 1 },
    });
    const error = await crisp.getContactData("w", "p").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 200, reason: "response_too_large" });
    expect(api.calls).toHaveLength(2);
    // Under the cap, the same client reads normally.
    await expect(crisp.getContactData("w", "p")).resolves.toEqual({});
  });

  it("does not follow redirects for writes (reads may)", async () => {
    const api = fakeCrisp();
    api.fault({ status: 307, body: "", headers: { Location: "http://elsewhere.test/" } });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
    await expect(crisp.setContactData("w", "p", { a: 1 })).rejects.toMatchObject({ status: 307 });
    await crisp.setSessionData("w", "s", { a: 1 });
    await crisp.replaceContactData("w", "p", { a: 1 });
    expect(api.calls.map((c) => [c.method, c.redirect])).toEqual([
      ["PATCH", "manual"],
      ["GET", "follow"],
      ["PATCH", "manual"],
      ["PUT", "manual"],
    ]);
  });

  it("names the target by website and a short hash in messages, never by email", async () => {
    const api = fakeCrisp();
    api.fault(422, "hang");
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, timeoutMs: 5, retry: { ...fast, retries: 0 } });
    const rejected = await crisp.setContactData("w", "ada.lovelace@example.com", { a: 1 }).catch((e: unknown) => e);
    const timedOut = await crisp.setContactData("w", "grace@example.com", { a: 1 }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(CrispApiError);
    const message = (rejected as Error).message;
    expect(message).toMatch(/contact #[0-9a-f]{8} of website w/);
    expect(message).not.toMatch(/ada|lovelace|example/);
    expect((timedOut as Error).message).toMatch(/contact #[0-9a-f]{8} of website w/);
    expect((timedOut as Error).message).not.toMatch(/grace|example/);
    // The full id stays available to code.
    expect((rejected as CrispApiError).target).toEqual({
      type: "contact",
      websiteId: "w",
      peopleId: "ada.lovelace@example.com",
    });
    // Two targets, two hashes.
    expect(/#([0-9a-f]{8})/.exec(message)?.[1]).not.toBe(/#([0-9a-f]{8})/.exec((timedOut as Error).message)?.[1]);
  });
});
