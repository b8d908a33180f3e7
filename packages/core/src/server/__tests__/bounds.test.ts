import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CrispAbortError, CrispApiError, createCrispRestClient } from "../index";
import { MAX_INTERVAL_MS } from "../pacer";
import { base, fakeCrisp, refusedError } from "./fakeCrisp";
import { pacerOnClock } from "./pacerClock";

// Every bound here runs on fake timers: the numbers are the client's own clock, never the machine's speed.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Advances fake time in steps until `promise` settles; returns the fake milliseconds it took. */
async function settleWithin(promise: Promise<unknown>, limitMs: number, stepMs = 100): Promise<number> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const start = Date.now();
  while (!settled && Date.now() - start < limitMs) await vi.advanceTimersByTimeAsync(stepMs);
  await vi.advanceTimersByTimeAsync(0);
  expect(settled, `still pending after ${limitMs} ms`).toBe(true);
  return Date.now() - start;
}

const ok = () => new Response('{"error":false,"reason":"updated","data":{}}', { status: 200 });
const limited = (headers?: Record<string, string>) =>
  new Response('{"error":true,"reason":"rate_limited","data":{}}', { status: 429, headers });

describe("every wait is bounded", () => {
  it.each([
    ["delta-seconds", "999999"],
    ["an HTTP date", "Fri, 31 Dec 2100 23:59:59 GMT"],
  ])("a Retry-After beyond maxWaitMs (%s) fails that write at once and does not pause the route", async (_, header) => {
    const api = fakeCrisp();
    api.fault({ status: 429, retryAfter: header });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    const first = crisp.setContactData("w", "a@x.com", { a: 1 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(await first).toMatchObject({ status: 429, reason: "rate_limited" });
    // A later write to another contact starts right away.
    let written = false;
    void crisp.setContactData("w", "b@x.com", { b: 1 }).then(() => {
      written = true;
    });
    await vi.advanceTimersByTimeAsync(MAX_INTERVAL_MS);
    expect(written).toBe(true);
    expect(api.contacts.get("w/b@x.com")).toEqual({ b: 1 });
  });

  it("a Retry-After within maxWaitMs is honoured, and the pause is charged to it", async () => {
    const api = fakeCrisp();
    api.fault({ status: 429, retryAfter: "5" }, { status: 429, retryAfter: "5" });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: { maxWaitMs: 8_000 } });
    const result = crisp.setContactData("w", "a@x.com", { a: 1 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(api.calls).toHaveLength(2);
    // 5 s waited; another 5 s would pass 8 s: fail now.
    expect(await result).toMatchObject({ status: 429, reason: "rate_limited" });
  });

  it("permanent 429s without Retry-After: flush() of 10 contacts with maxWaitMs 3000 settles, all rate_limited", async () => {
    const starts: number[] = [];
    const crisp = createCrispRestClient({
      ...base,
      fetch: async () => {
        starts.push(Date.now());
        return limited();
      },
      retry: { maxWaitMs: 3_000 },
    });
    for (let i = 0; i < 10; i++) void crisp.setContactData("w", `p${i}@x.com`, { a: i });
    const flushed = crisp.flush();
    // Each write may wait 3 s on rate limits and pacing; lanes are freed while waiting.
    expect(await settleWithin(flushed, 10_000)).toBeLessThanOrEqual(10_000);
    const report = await flushed;
    expect(report.failures).toHaveLength(10);
    for (const { error } of report.failures) expect(error).toMatchObject({ status: 429, reason: "rate_limited" });
    // The pacer never spaces requests further apart than its ceiling while writes are waiting.
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? t));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_INTERVAL_MS);
  });

  it("recovers within a few seconds of a 10 s burst of 429s: 20 writes done by second 15", async () => {
    const start = Date.now();
    let accepted = 0;
    const crisp = createCrispRestClient({
      ...base,
      fetch: async () => {
        if (Date.now() - start < 10_000) return limited();
        accepted++;
        return ok();
      },
    });
    for (let i = 0; i < 20; i++) void crisp.setContactData("w", `p${i}@x.com`, { a: i });
    const flushed = crisp.flush();
    expect(await settleWithin(flushed, 15_000)).toBeLessThanOrEqual(15_000);
    expect((await flushed).failures).toEqual([]);
    expect(accepted).toBe(20);
  });

  it("pacer: the interval has a ceiling, and comes back to unpaced within 5 s of the API recovering", () => {
    const { pacer, clock, refuse } = pacerOnClock();
    const route = "PATCH people/data";
    refuse(route, 1_000, 10);
    expect(pacer.interval(route)).toBe(MAX_INTERVAL_MS);
    // The API is healthy again: requests go out at the pacer's interval and all succeed.
    const recovered = clock.t;
    let successes = 0;
    while (pacer.interval(route) > 0 && clock.t - recovered < 60_000) {
      clock.t += Math.max(1, pacer.interval(route));
      pacer.onSuccess(route);
      successes++;
    }
    expect(pacer.interval(route)).toBe(0);
    expect(clock.t - recovered).toBeLessThanOrEqual(5_000);
    expect(successes).toBeLessThan(20);
  });

  it("after a 10 s burst of 429s, the API's stray 429s do not keep 300 writes waiting: done by second 13", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const start = Date.now();
    let answers = 0;
    let accepted = 0;
    const crisp = createCrispRestClient({
      ...base,
      concurrency: 8,
      fetch: async () => {
        if (Date.now() - start < 10_000) return limited();
        // Healthy again, but one answer in six is still a 429 (a busy node, not our pace).
        if (++answers % 6 === 0) return limited();
        accepted++;
        return ok();
      },
    });
    for (let i = 0; i < 300; i++) void crisp.setContactData("w", `p${i}@x.com`, { a: i });
    const flushed = crisp.flush();
    // The pacer used to climb down from 1 request/s while each stray 429 reset the climb: done by second 33.
    expect(await settleWithin(flushed, 13_000)).toBeLessThanOrEqual(13_000);
    expect((await flushed).failures).toEqual([]);
    expect(accepted).toBe(300);
  });

  it("pacer: the first success after an outage of refusals restores the pace from before it", () => {
    const { pacer, clock, succeed, refuse } = pacerOnClock();
    const route = "PATCH people/data";
    // A real limit first: paced at the rate the API accepted (one per 10 ms).
    succeed(route, 50, 10);
    pacer.onRateLimit(route);
    const paced = pacer.interval(route);
    expect(paced).toBeGreaterThan(5);
    // Then every request is refused for 5 s, whatever the pace: the interval climbs far.
    const outage = clock.t;
    while (clock.t - outage < 5_000) {
      clock.t += pacer.interval(route);
      pacer.onRateLimit(route);
    }
    expect(pacer.interval(route)).toBeGreaterThan(paced * 10);
    // One success: back at the pace that worked, not a second per request.
    clock.t += pacer.interval(route);
    pacer.onSuccess(route);
    expect(pacer.interval(route)).toBeLessThanOrEqual(paced);
    // Unpaced before the outage: unpaced again at once.
    const fresh = "PUT people/data";
    refuse(fresh, 30, 300);
    pacer.onSuccess(fresh);
    expect(pacer.interval(fresh)).toBe(0);
  });

  it("pacer: refusals for less than a second (a real limit's streak) keep the learned pace", () => {
    const { pacer, clock, succeed, refuse } = pacerOnClock();
    const route = "r";
    succeed(route, 50, 10);
    refuse(route, 5, 100);
    const slowed = pacer.interval(route);
    expect(slowed).toBeGreaterThan(10);
    clock.t += 100;
    pacer.onSuccess(route);
    // One gentle step down, not back to unpaced.
    expect(pacer.interval(route)).toBeGreaterThan(slowed * 0.9);
  });

  it("pacer: at a steady real limit, a route keeps the limit's throughput with few refusals", () => {
    // A closed loop: requests start at the pacer's interval (or as fast as the app asks), against a token bucket
    // of 200/s with a one-second burst. Judged from second 2 to 10, once the burst is spent: an unpaced client is
    // refused most of the time, and one that collapses loses throughput.
    for (const askEveryMs of [1, 2]) {
      const { pacer, clock } = pacerOnClock();
      let tokens = 200;
      let refilledAt = 0;
      let accepted = 0;
      let refused = 0;
      while (clock.t < 10_000) {
        clock.t += Math.max(pacer.interval("r"), askEveryMs);
        tokens = Math.min(200, tokens + (clock.t - refilledAt) * 0.2);
        refilledAt = clock.t;
        const counted = clock.t >= 2_000;
        if (tokens >= 1) {
          tokens--;
          pacer.onSuccess("r");
          if (counted) accepted++;
        } else {
          pacer.onRateLimit("r");
          if (counted) refused++;
        }
      }
      expect(accepted / 8).toBeGreaterThanOrEqual(190);
      expect(refused / (accepted + refused)).toBeLessThan(0.25);
    }
  });
});

describe("backoff grows for a failing API, not for stray failures among successes", () => {
  /** The API with 100 ms latency; the first three attempts on `slow@x.com` answer 503. Returns those attempts' start times. */
  function strayFaults() {
    const api = fakeCrisp({ latencyMs: 100 });
    const slowAttempts: number[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (String(input).includes("slow%40x.com")) {
        slowAttempts.push(Date.now());
        if (slowAttempts.length <= 3) return new Response('{"error":true,"reason":"fault","data":{}}', { status: 503 });
      }
      return api.fetch(input, init);
    };
    return { api, fetch, slowAttempts };
  }
  const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? t));

  it("a write whose 5xx come while other writes succeed retries after the first step each time", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const { api, fetch, slowAttempts } = strayFaults();
    const crisp = createCrispRestClient({ ...base, fetch, concurrency: 2, retry: { minDelayMs: 1_000 } });
    void crisp.setContactData("w", "slow@x.com", { a: 1 });
    // Other writes keep one lane busy for 6 s, all succeeding.
    for (let i = 0; i < 60; i++) void crisp.setContactData("w", `p${i}@x.com`, { a: i });
    await settleWithin(crisp.flush(), 10_000);
    expect(api.contacts.get("w/slow@x.com")).toEqual({ a: 1 });
    // 990 ms asleep each time; it used to double: 990, 1,980, 3,960 ms.
    expect(slowAttempts).toHaveLength(4);
    for (const gap of gaps(slowAttempts)) expect(gap).toBeLessThan(1_200);
  });

  it("a write that fails with nothing else succeeding still backs off exponentially", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const { api, fetch, slowAttempts } = strayFaults();
    const crisp = createCrispRestClient({ ...base, fetch, concurrency: 2, retry: { minDelayMs: 1_000 } });
    void crisp.setContactData("w", "slow@x.com", { a: 1 });
    await settleWithin(crisp.flush(), 10_000);
    expect(api.contacts.get("w/slow@x.com")).toEqual({ a: 1 });
    const [first = 0, second = 0, third = 0] = gaps(slowAttempts);
    expect(first).toBeLessThan(1_200);
    expect(second).toBeGreaterThan(1_900);
    expect(third).toBeGreaterThan(3_900);
  });
});

describe("an API that is down settles promptly", () => {
  it("1,000 pending contacts against a refused port settle within 30 s with default options", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    let attempts = 0;
    const crisp = createCrispRestClient({
      ...base,
      fetch: async () => {
        attempts++;
        throw refusedError();
      },
    });
    for (let i = 0; i < 1_000; i++) void crisp.setContactData("w", `p${i}@x.com`, { a: i });
    const flushed = crisp.flush();
    expect(await settleWithin(flushed, 30_000)).toBeLessThanOrEqual(30_000);
    const report = await flushed;
    expect(report.failures).toHaveLength(1_000);
    expect(new Set(report.failures.map((f) => f.target.type === "contact" && f.target.peopleId)).size).toBe(1_000);
    for (const { error } of report.failures) expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
    // One write spent its budget (1 + 4 attempts); the rest failed with it instead of each spending its own.
    expect(attempts).toBeLessThan(1_000 * 5);
    expect(crisp.pending).toBe(0);
  });

  it("a refused host fails every pending target together, then new writes try again", async () => {
    let down = true;
    const api = fakeCrisp();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (down) throw refusedError();
      return api.fetch(input, init);
    };
    const crisp = createCrispRestClient({ ...base, fetch, concurrency: 2 });
    const promises = Array.from({ length: 50 }, (_, i) => crisp.setContactData("w", `p${i}@x.com`, { a: i }));
    const settled = Promise.allSettled(promises);
    await settleWithin(settled, 30_000);
    expect((await settled).every((r) => r.status === "rejected")).toBe(true);
    down = false;
    await crisp.setContactData("w", "back@x.com", { a: 1 });
    expect(api.contacts.get("w/back@x.com")).toEqual({ a: 1 });
  });

  it("backoff does not hold a lane: with concurrency 1, other targets are written while one sleeps", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const api = fakeCrisp();
    api.fault(503);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, concurrency: 1, retry: { minDelayMs: 5_000 } });
    let slowDone = false;
    void crisp.setContactData("w", "slow@x.com", { a: 1 }).then(() => {
      slowDone = true;
    });
    const others = Promise.all(Array.from({ length: 5 }, (_, i) => crisp.setContactData("w", `p${i}@x.com`, { a: i })));
    await vi.advanceTimersByTimeAsync(10);
    await others;
    expect(slowDone).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(slowDone).toBe(true);
  });

  it("flush({ timeoutMs }) settles by its deadline, aborting what is in flight and reporting every unwritten target", async () => {
    const signals: AbortSignal[] = [];
    // Worst case: a fetch that never settles and ignores its signal.
    const crisp = createCrispRestClient({
      ...base,
      timeoutMs: 60_000,
      fetch: (_url, init) => {
        if (init?.signal) signals.push(init.signal);
        return new Promise<Response>(() => {});
      },
    });
    const writes = Array.from({ length: 10 }, (_, i) => crisp.setContactData("w", `p${i}@x.com`, { a: i }));
    const flushed = crisp.flush({ timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(crisp.pending).toBe(10);
    expect(await settleWithin(flushed, 1, 1)).toBeLessThanOrEqual(1);
    const report = await flushed;
    expect(report.failures).toHaveLength(10);
    for (const { error } of report.failures) expect(error).toBeInstanceOf(CrispAbortError);
    // The 4 requests in flight were aborted, the 6 queued never sent.
    expect(signals).toHaveLength(4);
    expect(signals.every((s) => s.aborted)).toBe(true);
    for (const write of writes) await expect(write).rejects.toBeInstanceOf(CrispAbortError);
    expect(crisp.pending).toBe(0);
  });

  it("flush({ signal }) settles when the signal aborts, also mid-backoff, and the client keeps working", async () => {
    const api = fakeCrisp();
    api.fault(...Array<number>(5).fill(503));
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch, retry: { minDelayMs: 10_000 } });
    void crisp.setContactData("w", "a@x.com", { a: 1 });
    const controller = new AbortController();
    const flushed = crisp.flush({ signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("shutdown"));
    await vi.advanceTimersByTimeAsync(0);
    const report = await flushed;
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]?.error).toBeInstanceOf(CrispAbortError);
    expect(report.failures[0]?.error.cause).toEqual(new Error("shutdown"));
    // An already-aborted signal settles at once.
    void crisp.setContactData("w", "b@x.com", { b: 1 });
    expect((await crisp.flush({ signal: AbortSignal.abort() })).failures).toHaveLength(1);
    // And writes still go through afterwards (the 503s left are within the retries budget).
    const later = crisp.setContactData("w", "c@x.com", { c: 1 });
    await vi.advanceTimersByTimeAsync(200_000);
    await expect(later).resolves.toBeUndefined();
    expect(api.contacts.get("w/c@x.com")).toEqual({ c: 1 });
  });

  it("flush() without a deadline still waits for every write", async () => {
    const api = fakeCrisp({ latencyMs: 1_000 });
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    void crisp.setContactData("w", "a@x.com", { a: 1 });
    const flushed = crisp.flush({ timeoutMs: 5_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await flushed).toEqual({ requests: 1, retries: 0, failures: [] });
  });

  it("a failed write carries a typed error: CrispApiError for answers", async () => {
    const api = fakeCrisp();
    api.fault(400);
    const crisp = createCrispRestClient({ ...base, fetch: api.fetch });
    await expect(crisp.setContactData("w", "a@x.com", { a: 1 })).rejects.toBeInstanceOf(CrispApiError);
  });
});
