import { describe, expect, it } from "vitest";
import { CrispApiError, createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

const steps = (api: ReturnType<typeof fakeCrisp>) =>
  api.calls.map((c) => [c.method, c.path.split("/").slice(5).join("/"), c.body]);

describe("missing contacts are created", () => {
  it("a 404 on people/data for an email: POST people/profile with the local part as nickname, then PATCH the data", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w", "new.user@example.com", { plan: "pro", seats: 2 });
    expect(steps(api)).toEqual([
      ["PATCH", "data/new.user%40example.com", { data: { plan: "pro", seats: 2 } }],
      ["POST", "profile", { email: "new.user@example.com", person: { nickname: "new.user" } }],
      ["PATCH", "data/new.user%40example.com", { data: { plan: "pro", seats: 2 } }],
    ]);
    expect(api.contacts.get("w/new.user@example.com")).toEqual({ plan: "pro", seats: 2 });
    expect(await crisp.flush()).toEqual({ requests: 3, retries: 0, failures: [] });
  });

  it("takes the nickname from setContactData's options (the latest call wins)", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    void crisp.setContactData("w", "ada@example.com", { a: 1 }, { nickname: "Ada" });
    await crisp.setContactData("w", "ada@example.com", { b: 2 }, { nickname: "Ada Lovelace" });
    expect(api.nicknames.get("w/ada@example.com")).toBe("Ada Lovelace");
    expect(api.contacts.get("w/ada@example.com")).toEqual({ a: 1, b: 2 });
  });

  it("creates before a replacement too, and before a merge that also deletes keys", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.replaceContactData("w", "r@example.com", { only: 1 });
    await crisp.setContactData("w", "d@example.com", { keep: 1, gone: null });
    expect(steps(api).map(([method, path]) => `${method} ${path}`)).toEqual([
      "PUT data/r%40example.com",
      "POST profile",
      "PUT data/r%40example.com",
      "GET data/d%40example.com",
      "POST profile",
      "PATCH data/d%40example.com",
    ]);
    expect(api.contacts.get("w/r@example.com")).toEqual({ only: 1 });
    expect(api.contacts.get("w/d@example.com")).toEqual({ keep: 1 });
  });

  it("a 409 on creation (it exists now) goes straight to the data write", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    // Another writer creates it between our 404 and our POST.
    api.fault({ status: 404, body: '{"error":true,"reason":"not_found","data":{}}' });
    api.contacts.set("w/race@example.com", { theirs: 1 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w", "race@example.com", { ours: 2 });
    expect(steps(api).map(([method]) => method)).toEqual(["PATCH", "POST", "PATCH"]);
    expect(api.contacts.get("w/race@example.com")).toEqual({ theirs: 1, ours: 2 });
  });

  it("does not create for deletions only: a missing contact holds none of those keys", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await crisp.setContactData("w", "ghost@example.com", { gone: null });
    await crisp.replaceContactData("w", "ghost@example.com", {});
    expect(steps(api).map(([method]) => method)).toEqual(["GET", "PUT"]);
    expect(api.contacts.has("w/ghost@example.com")).toBe(false);
  });

  it("a non-email peopleId that answers 404 fails with that 404, and so does createMissing: false", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await expect(crisp.setContactData("w", "8c5f1d1e-uuid", { a: 1 })).rejects.toMatchObject({
      status: 404,
      reason: "not_found",
    });
    const strict = createCrispRestClient({ ...base, fetch: api.fetch, createMissing: false });
    const error = await strict.setContactData("w", "x@example.com", { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrispApiError);
    expect(error).toMatchObject({ status: 404 });
    expect(api.calls.map((c) => c.method)).toEqual(["PATCH", "PATCH"]);
  });

  it("a creation that fails for good fails the write with that error", async () => {
    const api = fakeCrisp({ contactsMustExist: true });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    api.fault({ status: 404, body: '{"error":true,"reason":"not_found","data":{}}' }, 422);
    await expect(crisp.setContactData("w", "bad@example.com", { a: 1 })).rejects.toMatchObject({ status: 422 });
    expect(api.calls.map((c) => c.method)).toEqual(["PATCH", "POST"]);
  });

  it("rejects an invalid nickname synchronously", () => {
    const crisp = createCrispRestClient({ ...base, fetch: fakeCrisp().fetch });
    expect(() => crisp.setContactData("w", "a@x.com", { a: 1 }, { nickname: "" })).toThrow(/nickname/);
    expect(() => crisp.setContactData("w", "a@x.com", { a: 1 }, { nickname: 5 as unknown as string })).toThrow(
      /nickname/,
    );
  });
});
