import { CrispDataError } from "@crisp-data/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CrispRestClientOptions, createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

afterEach(() => {
  vi.unstubAllEnvs();
});

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("options are validated at creation", () => {
  const bad: Array<[string, Partial<CrispRestClientOptions>]> = [
    ["concurrency", { concurrency: Number(process.env.CRISP_DATA_UNSET_FOR_TEST) }],
    ["concurrency", { concurrency: 0 }],
    ["concurrency", { concurrency: 2.5 }],
    ["concurrency", { concurrency: Number.POSITIVE_INFINITY }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["timeoutMs", { timeoutMs: 2 ** 31 }],
    ["maxResponseBytes", { maxResponseBytes: -1 }],
    ["retry.retries", { retry: { retries: -1 } }],
    ["retry.retries", { retry: { retries: 1.5 } }],
    ["retry.minDelayMs", { retry: { minDelayMs: Number.NaN } }],
    ["retry.maxDelayMs", { retry: { maxDelayMs: Number.POSITIVE_INFINITY } }],
    ["retry.maxWaitMs", { retry: { maxWaitMs: -5 } }],
    ["retry.maxWaitMs", { retry: { maxWaitMs: "60000" as unknown as number } }],
    ["tier", { tier: "admin" as "plugin" }],
  ];
  it.each(bad)("throws CrispDataError naming %s", (name, options) => {
    const error = thrown(() => createCrispRestClient({ ...base, ...options }));
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ key: name });
    expect((error as Error).message).toContain(name);
  });

  it("accepts the edges of every range", () => {
    expect(() =>
      createCrispRestClient({
        ...base,
        concurrency: 1,
        timeoutMs: 1,
        maxResponseBytes: 1,
        retry: { retries: 0, minDelayMs: 0, maxDelayMs: 0, maxWaitMs: 0 },
      }),
    ).not.toThrow();
  });

  it("checks whenCapacity and flush arguments too", async () => {
    const crisp = createCrispRestClient({ ...base, fetch: fakeCrisp().fetch });
    expect(() => crisp.whenCapacity(Number.NaN)).toThrow(CrispDataError);
    await expect(crisp.flush({ timeoutMs: Number.NaN })).rejects.toMatchObject({ key: "timeoutMs" });
  });
});

describe("ids cannot change the route", () => {
  const bad = ["", ".", "..", "%2e%2e", "%2E", "a/b", "%2F", "..%2F..", "x/../y"];
  it.each(bad)("rejects %j synchronously, for every id and every method, and sends nothing", (value) => {
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    const calls = [
      () => crisp.setContactData("w", value, { a: 1 }),
      () => crisp.setContactData(value, "p", { a: 1 }),
      () => crisp.replaceContactData("w", value, { a: 1 }),
      () => crisp.setSessionData("w", value, { a: 1 }),
      () => crisp.setSessionData(value, "s", { a: 1 }),
      () => crisp.getContactData("w", value),
      () => crisp.getSessionData(value, "s"),
    ];
    for (const call of calls) {
      const error = thrown(call);
      expect(error).toBeInstanceOf(CrispDataError);
      expect(["websiteId", "peopleId", "sessionId"]).toContain((error as CrispDataError).key);
    }
    expect(crisp.pending).toBe(0);
    expect(api.calls).toEqual([]);
  });

  it("keeps ids that only look odd, encoded in one segment", async () => {
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    for (const id of ["...", ".a", "a.", "%", "a%2", "?x", "#y"]) await crisp.setContactData("w", id, { a: 1 });
    expect(api.calls.map((c) => c.path.split("/").length)).toEqual(Array(7).fill(7));
  });
});

describe("credentials from the environment", () => {
  it("creates without credentials (a build without secrets) and reads CRISP_API_* at the first request", async () => {
    vi.stubEnv("CRISP_API_IDENTIFIER", "");
    vi.stubEnv("CRISP_API_KEY", "");
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ baseUrl: base.baseUrl, fetch: api.fetch });
    // The secrets arrive after the module-scope client was made (a runtime env, dotenv loaded later).
    vi.stubEnv("CRISP_API_IDENTIFIER", "env-id");
    vi.stubEnv("CRISP_API_KEY", "env-key");
    vi.stubEnv("CRISP_API_TIER", "website");
    await crisp.setContactData("w", "p", { a: 1 });
    expect(api.calls[0]?.headers.get("authorization")).toBe(`Basic ${btoa("env-id:env-key")}`);
    expect(api.calls[0]?.headers.get("x-crisp-tier")).toBe("website");
  });

  it("options win over the environment; the tier defaults to plugin", async () => {
    vi.stubEnv("CRISP_API_IDENTIFIER", "env-id");
    vi.stubEnv("CRISP_API_KEY", "env-key");
    vi.stubEnv("CRISP_API_TIER", "");
    const api = fakeCrisp();
    await createCrispRestClient({ ...base, fetch: api.fetch }).setContactData("w", "p", { a: 1 });
    await createCrispRestClient({ baseUrl: base.baseUrl, fetch: api.fetch }).setContactData("w", "p", { a: 1 });
    expect(api.calls.map((c) => [c.headers.get("authorization"), c.headers.get("x-crisp-tier")])).toEqual([
      [`Basic ${btoa("id:secret")}`, "plugin"],
      [`Basic ${btoa("env-id:env-key")}`, "plugin"],
    ]);
  });

  it("without credentials, each write fails with a CrispDataError naming the variable, and nothing is sent", async () => {
    vi.stubEnv("CRISP_API_IDENTIFIER", "id");
    vi.stubEnv("CRISP_API_KEY", "");
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ baseUrl: base.baseUrl, fetch: api.fetch });
    const error = await crisp.setSessionData("w", "s", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ key: "key" });
    expect((error as Error).message).toContain("CRISP_API_KEY");
    await expect(crisp.getContactData("w", "p")).rejects.toBeInstanceOf(CrispDataError);
    vi.stubEnv("CRISP_API_TIER", "root");
    vi.stubEnv("CRISP_API_KEY", "k");
    await expect(crisp.setContactData("w", "p", { a: 1 })).rejects.toMatchObject({ key: "CRISP_API_TIER" });
    expect(api.calls).toEqual([]);
    expect(await crisp.flush()).toMatchObject({ requests: 0, retries: 0 });
  });
});
