import { afterEach, describe, expect, it, vi } from "vitest";
import { CrispApiError, createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

afterEach(() => {
  vi.useRealTimers();
});

describe("retries", () => {
  // Issue 5: "429, 420, 5xx, timeouts and connection resets are retried with exponential backoff and full
  // jitter, honouring Retry-After when present" — a 503 with Retry-After must wait as asked, not a few ms.
  it("honours Retry-After on a 503, not only on rate limits", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const api = fakeCrisp();
    api.fault({ status: 503, retryAfter: "30" });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: { minDelayMs: 1, maxDelayMs: 4 } });
    let done = false;
    void crisp.setContactData("w", "p", { a: 1 }).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(api.calls).toHaveLength(2);
    expect(done).toBe(true);
    expect(await crisp.flush()).toEqual({ requests: 2, retries: 1, failures: [] });
  });

  it("fails a 503 at once when its Retry-After is beyond maxWaitMs, without spending the wait", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const api = fakeCrisp();
    api.fault({ status: 503, retryAfter: "3600" });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: { maxWaitMs: 60_000 } });
    const result = crisp.setContactData("w", "p", { a: 1 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    const error = await result;
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 503 });
    expect(api.calls).toHaveLength(1);
  });

  // Issue 5: failures list `{ target, error }` with "a CrispApiError or a network error", also passed to onError.
  it("a connection error that outlives the budget rejects, is reported with its target and reaches onError", async () => {
    const api = fakeCrisp();
    api.fault("reset", "reset");
    const onError = vi.fn();
    const crisp = createCrispRestClient({
      ...base,
      fetch: api.fetch,
      onError,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await crisp.setSessionData("w", "s", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    const report = await crisp.flush();
    expect(report).toEqual({
      requests: 2,
      retries: 1,
      failures: [{ target: { type: "session", websiteId: "w", sessionId: "s" }, error }],
    });
    expect(onError).toHaveBeenCalledWith(error, { type: "session", websiteId: "w", sessionId: "s" });
    // The target is not poisoned: the next call writes.
    await crisp.setSessionData("w", "s", { b: 2 });
    expect(api.sessions.get("w/s")).toEqual({ b: 2 });
  });
});

describe("keys that are also Object.prototype names", () => {
  // `__proto__` matches Crisp's key rule and our own; merging it with `obj[key] = value` would hit the
  // prototype setter, silently drop the key and, on a read-merge-write, delete it from Crisp.
  it("keeps a __proto__ key through merges, deletes of other keys and reads", async () => {
    const api = fakeCrisp();
    api.contacts.set("w/p", JSON.parse('{"__proto__":"kept","other":1}'));
    api.sessions.set("w/s", JSON.parse('{"__proto__":"kept"}'));
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w", "p", { other: null });
    await crisp.setSessionData("w", "s", { plan: "pro" });
    await crisp.setContactData("w", "q", JSON.parse('{"__proto__":"new"}'));
    expect(api.calls.map((c) => JSON.stringify(c.body ?? null))).toEqual([
      "null",
      '{"data":{"__proto__":"kept"}}',
      "null",
      '{"data":{"__proto__":"kept","plan":"pro"}}',
      '{"data":{"__proto__":"new"}}',
    ]);
    expect(Object.keys(await crisp.getContactData("w", "q"))).toEqual(["__proto__"]);
  });
});

describe("empty merges", () => {
  // Crisp's help article clears a contact's data by submitting `{"data":{}}`; a merge of nothing must not send it.
  it("an empty setContactData or setSessionData resolves without any request", async () => {
    const api = fakeCrisp();
    api.contacts.set("w/p", { plan: "pro" });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await Promise.all([crisp.setContactData("w", "p", {}), crisp.setSessionData("w", "s", {})]);
    expect(api.calls).toEqual([]);
    expect(await crisp.flush()).toEqual({ requests: 0, retries: 0, failures: [] });
    // replaceContactData({}) still clears.
    await crisp.replaceContactData("w", "p", {});
    expect(api.calls.map((c) => [c.method, c.body])).toEqual([["PUT", { data: {} }]]);
  });
});
