import { CrispDataError } from "@crisp-data/core";
import { describe, expect, it, vi } from "vitest";
import { CrispApiError, CrispTimeoutError, createCrispRestClient } from "../index";
import { backoffDelay, parseRetryAfter, resolveRetry } from "../retry";
import { base, fakeCrisp } from "./fakeCrisp";

const fast = { minDelayMs: 1, maxDelayMs: 4 };

describe("retries", () => {
  it("retries 5xx, connection resets and timeouts with the retries budget", async () => {
    const api = fakeCrisp();
    api.fault(500, "reset", "hang", 503);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, timeoutMs: 20, retry: { ...fast, retries: 4 } });
    await crisp.setContactData("w", "p", { a: 1 });
    expect(api.contacts.get("w/p")).toEqual({ a: 1 });
    expect(await crisp.flush()).toEqual({ requests: 5, retries: 4, failures: [] });
  });

  it("fails with the last error once the budget is spent", async () => {
    const api = fakeCrisp();
    api.fault(500, 502, 503);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: { ...fast, retries: 2 } });
    const error = await crisp.setContactData("w", "p", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 503, code: "api_error" });
    api.fault("hang", "hang");
    const timeouts = createCrispRestClient({ ...base, fetch: api.fetch, timeoutMs: 5, retry: { ...fast, retries: 1 } });
    await expect(timeouts.setContactData("w", "p", { a: 1 })).rejects.toBeInstanceOf(CrispTimeoutError);
  });

  it("fails at once on 422 and other 4xx", async () => {
    const api = fakeCrisp();
    api.fault(422);
    const errors: unknown[] = [];
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast, onError: (e) => errors.push(e) });
    const error = await crisp.setContactData("w", "p", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ status: 422, reason: "invalid_data" });
    api.fault(404);
    await expect(crisp.setSessionData("w", "s", { a: 1 })).rejects.toMatchObject({ status: 404 });
    const report = await crisp.flush();
    expect(report.requests).toBe(2);
    expect(report.retries).toBe(0);
    expect(report.failures.map((f) => f.target)).toEqual([
      { type: "contact", websiteId: "w", peopleId: "p" },
      { type: "session", websiteId: "w", sessionId: "s" },
    ]);
    expect(errors).toEqual(report.failures.map((f) => f.error));
  });

  it("waits on 429 and 420 without spending the retries budget", async () => {
    const api = fakeCrisp();
    api.fault(429, 420, 429, 420, 429);
    const crisp = createCrispRestClient({
      ...base,
      fetch: api.fetch,
      retry: { ...fast, retries: 0, maxWaitMs: 5_000 },
    });
    await crisp.setContactData("w", "p", { a: 1 });
    expect(await crisp.flush()).toEqual({ requests: 6, retries: 5, failures: [] });
  });

  it("fails a rate-limited update past maxWaitMs with status 429 and reason rate_limited", async () => {
    const api = fakeCrisp();
    api.fault(420, ...Array<number>(50).fill(429));
    const crisp = createCrispRestClient({
      ...base,
      fetch: api.fetch,
      retry: { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 60, retries: 10 },
    });
    const started = Date.now();
    const error = await crisp.setContactData("w", "p", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 429, reason: "rate_limited" });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("honours Retry-After", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const api = fakeCrisp();
      api.fault({ status: 429, retryAfter: "2" });
      const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: fast });
      const done = crisp.setContactData("w", "p", { a: 1 });
      await vi.advanceTimersByTimeAsync(1_990);
      expect(api.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      await done;
      const [first, second] = api.calls;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("draws full-jitter exponential backoff below a doubling, capped ceiling", () => {
    const retry = resolveRetry({ minDelayMs: 100, maxDelayMs: 1_000 });
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, retry, top))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, retry, () => 0)).toBe(0);
    expect(backoffDelay(3, retry, () => 0.5)).toBe(400);
  });

  it("reads Retry-After as delta-seconds or an HTTP date, and nothing else", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter(" 120 ")).toBe(120_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3_000);
    expect(parseRetryAfter("Thursday, 01-Jan-26 00:00:03 GMT", now)).toBe(3_000);
    expect(parseRetryAfter("Thu Jan  1 00:00:03 2026", now)).toBe(3_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    // Number() and Date.parse() would read every one of these as a wait.
    for (const junk of [
      "soon",
      "",
      "0.15",
      "1e3",
      "0x10",
      "-5",
      "+3",
      "Infinity",
      "2026-01-01",
      "Thu, 1 Jan 2026 00:00:03 GMT",
      "3 s",
    ]) {
      expect(parseRetryAfter(junk, now), junk).toBeUndefined();
    }
  });
});
