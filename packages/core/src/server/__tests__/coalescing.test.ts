import { describe, expect, it } from "vitest";
import { createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

describe("coalescing and order", () => {
  it("turns 100 setSessionData calls for one session in a tick into 1 GET + 1 PATCH", async () => {
    const api = fakeCrisp();
    api.sessions.set("w/s", { kept: "yes", gone: 1 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    const promises = [];
    for (let i = 0; i < 100; i++) promises.push(crisp.setSessionData("w", "s", { [`k${i % 10}`]: i, gone: null }));
    await Promise.all(promises);
    expect(api.calls.map((c) => c.method)).toEqual(["GET", "PATCH"]);
    expect(api.sessions.get("w/s")).toEqual({
      kept: "yes",
      k0: 90,
      k1: 91,
      k2: 92,
      k3: 93,
      k4: 94,
      k5: 95,
      k6: 96,
      k7: 97,
      k8: 98,
      k9: 99,
    });
    // One shared promise per pending entry: memory does not grow with calls.
    expect(new Set(promises).size).toBe(1);
  });

  it("never overlaps writes to one target and ends in the last call's intent", async () => {
    const api = fakeCrisp({ latencyMs: 2 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, concurrency: 8 });
    const expected = new Map<string, Record<string, number>>();
    for (let round = 0; round < 20; round++) {
      for (let t = 0; t < 5; t++) {
        const value = round * 10 + t;
        void crisp.setSessionData("w", `s${t}`, { v: value, [`r${round % 3}`]: value });
        void crisp.setContactData("w", `c${t}@x.com`, { v: value });
        const prev = expected.get(`s${t}`) ?? {};
        expected.set(`s${t}`, { ...prev, v: value, [`r${round % 3}`]: value });
      }
      await new Promise((r) => setTimeout(r, round % 4));
    }
    const report = await crisp.flush();
    expect(api.overlapped).toBe(false);
    for (let t = 0; t < 5; t++) {
      expect(api.sessions.get(`w/s${t}`)).toEqual(expected.get(`s${t}`));
      expect(api.contacts.get(`w/c${t}@x.com`)).toEqual({ v: 190 + t });
    }
    expect(report.failures).toEqual([]);
    expect(report.requests).toBe(api.calls.length);
  });

  it("keeps the calls made during a write for the next write, in order", async () => {
    const api = fakeCrisp({ latencyMs: 5 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    const first = crisp.setContactData("w", "p", { a: 1 });
    await new Promise((r) => setTimeout(r, 1)); // the PATCH for a=1 is now under way
    const second = crisp.setContactData("w", "p", { a: 2, b: 1 });
    const third = crisp.setContactData("w", "p", { b: 2 });
    expect(second).toBe(third);
    await Promise.all([first, second]);
    expect(api.calls.map((c) => [c.method, c.body])).toEqual([
      ["PATCH", { data: { a: 1 } }],
      ["PATCH", { data: { a: 2, b: 2 } }],
    ]);
  });
});
