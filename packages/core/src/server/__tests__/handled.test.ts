import { CrispDataError } from "@crisp-data/core";
import { describe, expect, it } from "vitest";
import { CrispApiError, createCrispRestClient, signEmail } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

describe("fire and forget, reports, errors", () => {
  it("never raises unhandledRejection for an ignored failed write", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const api = fakeCrisp();
      api.fault(422, 403);
      const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
      crisp.setContactData("w", "p", { a: 1 });
      crisp.setSessionData("w", "s", { a: 1 });
      const report = await crisp.flush();
      await new Promise((r) => setTimeout(r, 20));
      expect(report.failures).toHaveLength(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("reports per flush window and keeps going after a throwing onError", async () => {
    const api = fakeCrisp();
    api.fault(500);
    const crisp = createCrispRestClient({
      ...base,
      fetch: api.fetch,
      retry: { minDelayMs: 1 },
      onError: () => {
        throw new Error("boom");
      },
    });
    void crisp.setContactData("w", "a", { a: 1 });
    const first = await crisp.flush();
    expect(first).toMatchObject({ requests: 2, retries: 1, failures: [] });
    api.fault(400);
    void crisp.setContactData("w", "b", { a: 1 });
    void crisp.setContactData("w", "c", { a: 1 });
    const second = await crisp.flush();
    expect(second.requests).toBe(2);
    expect(second.failures).toHaveLength(1);
    expect(second.failures[0]?.error).toBeInstanceOf(CrispApiError);
    expect(await crisp.flush()).toEqual({ requests: 0, retries: 0, failures: [] });
  });

  it("CrispApiError is a CrispDataError with code api_error, status and reason", () => {
    const error = new CrispApiError(404, "not_found");
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ code: "api_error", status: 404, reason: "not_found", name: "CrispApiError" });
    expect(error.message).toContain("[crisp-data]");
  });

  it("signEmail is HMAC-SHA256 hex", () => {
    expect(signEmail("The quick brown fox jumps over the lazy dog", "key")).toBe(
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });

  it("checks credentials at the first request, not at creation, and sends nothing without them", async () => {
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ identifier: "", key: "k", fetch: api.fetch });
    const error = await crisp.setContactData("w", "p", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ key: "identifier" });
    expect(api.calls).toEqual([]);
    expect((await crisp.flush()).failures).toHaveLength(1);
  });
});
