import { afterEach, describe, expect, it, vi } from "vitest";
import { createCrispRestClient } from "../index";
import { base, fakeCrisp } from "./fakeCrisp";

afterEach(() => {
  vi.useRealTimers();
});

describe("concurrency, memory and capacity", () => {
  it("caps requests under way across targets", async () => {
    const api = fakeCrisp({ latencyMs: 3 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, concurrency: 3 });
    for (let i = 0; i < 30; i++) void crisp.setContactData("w", `p${i}`, { a: i });
    for (let i = 0; i < 10; i++) void crisp.setSessionData("w", `s${i}`, { a: i });
    const report = await crisp.flush();
    expect(api.maxInFlight).toBe(3);
    expect(report.requests).toBe(50);
    expect(api.contacts.size).toBe(30);
  });

  it("keeps one pending entry per target: 100,000 updates over 10,000 targets while the API is down", async () => {
    vi.useFakeTimers();
    let attempts = 0;
    // The API is down: every attempt hangs until its timeout.
    const down: typeof fetch = (_url, init) => {
      attempts++;
      return new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    };
    const crisp = createCrispRestClient({ ...base, fetch: down, concurrency: 4, timeoutMs: 5_000 });
    const promises = new Set<Promise<void>>();
    for (let i = 0; i < 100_000; i++) {
      const target = i % 10_000;
      promises.add(crisp.setContactData("w", `p${target}`, { n: i, [`k${i % 7}`]: "x" }));
    }
    expect(crisp.pending).toBe(10_000);
    // At most two promises per target: the one taken by a write under way and the one queued behind it.
    expect(promises.size).toBeLessThanOrEqual(10_000 + 4);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(4);
    for (let i = 0; i < 10_000; i++) void crisp.setContactData("w", `p${i}`, { n: -1 });
    expect(crisp.pending).toBe(10_000);
  });

  it("whenCapacity resolves once fewer targets are pending than asked", async () => {
    const api = fakeCrisp({ latencyMs: 2 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, concurrency: 2 });
    let maxPending = 0;
    for (let i = 0; i < 40; i++) {
      await crisp.whenCapacity(5);
      void crisp.setContactData("w", `p${i}`, { a: i });
      maxPending = Math.max(maxPending, crisp.pending);
    }
    await crisp.flush();
    expect(maxPending).toBe(5);
    expect(api.contacts.size).toBe(40);
    await expect(crisp.whenCapacity()).resolves.toBeUndefined();
  });
});
