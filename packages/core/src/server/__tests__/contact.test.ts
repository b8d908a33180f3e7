import { CrispDataError } from "@crisp-data/core";
import { describe, expect, it } from "vitest";
import { createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

describe("contact data, reads, auth", () => {
  it("PATCHes set keys only, and reads then PUTs the full map to delete a key", async () => {
    const api = fakeCrisp();
    api.contacts.set("w/ada@x.com", { plan: "free", seats: 1, old: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w", "ada@x.com", { plan: "pro" });
    expect(api.calls.map((c) => [c.method, c.body])).toEqual([["PATCH", { data: { plan: "pro" } }]]);
    await crisp.setContactData("w", "ada@x.com", { old: null, seats: 2 });
    expect(api.calls.slice(1).map((c) => [c.method, c.body])).toEqual([
      ["GET", undefined],
      ["PUT", { data: { plan: "pro", seats: 2 } }],
    ]);
    expect(api.contacts.get("w/ada@x.com")).toEqual({ plan: "pro", seats: 2 });
  });

  it("replaceContactData PUTs the map, {} clears, and later merges join the replacement", async () => {
    const api = fakeCrisp();
    api.contacts.set("w/p", { a: 1, b: 2 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.replaceContactData("w", "p", { c: 3 });
    expect(api.contacts.get("w/p")).toEqual({ c: 3 });
    void crisp.replaceContactData("w", "p", {});
    await crisp.setContactData("w", "p", { d: 4, e: "" });
    expect(api.calls.at(-1)).toMatchObject({ method: "PUT", body: { data: { d: 4 } } });
    await crisp.replaceContactData("w", "p", {});
    expect(api.contacts.get("w/p")).toEqual({});
    expect(api.calls.at(-1)?.body).toEqual({ data: {} });
  });

  it("URL-encodes people_id and website ids", async () => {
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w w", "a+b#c?d&e%@x.com", { a: 1 });
    expect(api.calls[0]?.path).toBe(`/v1/website/w%20w/people/data/${encodeURIComponent("a+b#c?d&e%@x.com")}`);
    expect(api.contacts.get("w w/a+b#c?d&e%@x.com")).toEqual({ a: 1 });
  });

  it("reads session and contact data", async () => {
    const api = fakeCrisp();
    api.sessions.set("w/s", { plan: "pro" });
    api.contacts.set("w/p@x.com", { seats: 3 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    expect(await crisp.getSessionData("w", "s")).toEqual({ plan: "pro" });
    expect(await crisp.getContactData("w", "p@x.com")).toEqual({ seats: 3 });
    expect((await crisp.flush()).requests).toBe(2);
  });

  it("sends Basic auth and the plugin tier by default, and the chosen tier otherwise", async () => {
    const api = fakeCrisp();
    await createCrispRestClient({ ...base, fetch: api.fetch }).setContactData("w", "p", { a: 1 });
    await createCrispRestClient({ ...base, fetch: api.fetch, tier: "website" }).setContactData("w", "p", { a: 1 });
    expect(api.calls[0]?.headers.get("authorization")).toBe(`Basic ${Buffer.from("id:secret").toString("base64")}`);
    expect(api.calls[0]?.headers.get("x-crisp-tier")).toBe("plugin");
    expect(api.calls[1]?.headers.get("x-crisp-tier")).toBe("website");
  });

  it("throws CrispDataError synchronously for invalid input and sends nothing", () => {
    const api = fakeCrisp();
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    expect(() => crisp.setSessionData("w", "s", { "Bad Key": 1 } as Record<string, number>)).toThrow(CrispDataError);
    expect(() => crisp.setContactData("w", "p", { a: Number.NaN })).toThrow(CrispDataError);
    expect(() => crisp.replaceContactData("w", "p", { a: "x".repeat(501) })).toThrow(CrispDataError);
    expect(() => crisp.setContactData("w", "", { a: 1 })).toThrow(CrispDataError);
    expect(() => crisp.setSessionData("w", "s", [] as never)).toThrow(CrispDataError);
    expect(crisp.pending).toBe(0);
    expect(api.calls).toEqual([]);
  });
});
