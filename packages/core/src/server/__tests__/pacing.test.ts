import { describe, expect, it, vi } from "vitest";
import { createCrispRestClient } from "../index";
import { createPacer, OVER_BUDGET } from "../pacer";
import { base } from "./fakeCrisp";
import { pacerOnClock } from "./pacerClock";

describe("adaptive pacing", () => {
  it("spaces a route at the accepted rate after a rate limit, then speeds up while requests succeed", () => {
    const { pacer, clock, succeed, refuse } = pacerOnClock();
    const route = "PATCH people/data";
    expect(pacer.interval(route)).toBe(0);
    succeed(route, 300, 10);
    clock.t += 10;
    pacer.onRateLimit(route);
    // Accepted one per 10 ms lately → spaced 10 ms apart.
    expect(pacer.interval(route)).toBeCloseTo(10, 0);
    // Rate limited again after 5 s: lengthen by half, not to the slow rate the idle gap would suggest.
    clock.t += 5_000;
    pacer.onRateLimit(route);
    expect(pacer.interval(route)).toBeCloseTo(15, 0);
    pacer.onRateLimit(route);
    expect(pacer.interval(route)).toBeCloseTo(22.5, 0);
    // Successes speed it up again.
    succeed(route, 20);
    expect(pacer.interval(route)).toBeLessThan(22.5 * 0.4);
    // At a real limit it never paces slower than the rate being accepted.
    const limited = "PUT people/data";
    succeed(limited, 20, 25);
    clock.t += 25;
    refuse(limited, 10);
    expect(pacer.interval(limited)).toBeCloseTo(25, 0);
    // With nothing to measure, the first rate limit starts from 50 ms.
    pacer.onRateLimit("GET conversation/meta");
    expect(pacer.interval("GET conversation/meta")).toBe(50);
    expect(pacer.interval("GET people/data")).toBe(0);
  });

  it("a cluster of stray rate limits amid successes slows a route at most to the rate of the last second", () => {
    const { pacer, clock, succeed } = pacerOnClock();
    const route = "PATCH people/data";
    // A second at one success per 5 ms, the last request refused: paced at that rate.
    succeed(route, 200, 5);
    pacer.onRateLimit(route);
    expect(pacer.interval(route)).toBeCloseTo(5, 0);
    // Then, requests at the pacer's own pace, one in three is refused and one in three fails with a 5xx (no rate
    // signal): a busy node's refusals, not a limit. Each refusal used to lengthen the interval by half up to the
    // rate of the last 20 successes, which the slower pace itself kept lowering: a ratchet to 15 ms gaps in 300 ms.
    const cluster = clock.t;
    for (let i = 0; clock.t - cluster < 300; i++) {
      clock.t += Math.max(1, pacer.interval(route));
      if (i % 3 === 0) pacer.onRateLimit(route);
      else if (i % 3 === 1) pacer.onSuccess(route);
    }
    expect(pacer.interval(route)).toBeLessThan(7);
  });

  it("in a route's first second, a token bucket's starting burst does not count as its rate", () => {
    const { pacer, clock, succeed } = pacerOnClock();
    const route = "PATCH people/data";
    // The bucket starts full: 200 accepted 0.5 ms apart, then one per 5 ms (its real rate), then a refusal.
    succeed(route, 200, 0.5);
    succeed(route, 20, 5);
    clock.t += 5;
    pacer.onRateLimit(route);
    // Paced at the real rate; averaged with the burst it would be ~1 ms, and about half of what follows refused.
    expect(pacer.interval(route)).toBeGreaterThan(4);
    expect(pacer.interval(route)).toBeLessThan(6);
  });

  it("honours Retry-After by pausing the route, and refuses at once a wait beyond the budget", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const pacer = createPacer();
      pacer.onRateLimit("r", 3_000);
      expect(pacer.interval("r")).toBe(50);
      await expect(pacer.acquire("r", 2_000)).rejects.toBe(OVER_BUDGET);
      let waited: number | undefined;
      void pacer.acquire("r", 5_000).then((ms) => {
        waited = ms;
      });
      await vi.advanceTimersByTimeAsync(2_990);
      expect(waited).toBeUndefined();
      await vi.advanceTimersByTimeAsync(20);
      expect(waited).toBe(3_000);
      // Other routes are not paused.
      await expect(pacer.acquire("other", 0)).resolves.toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("makes the client slow down instead of hammering a rate-limited route", async () => {
    // A token bucket of 40 requests/s with a burst of 4, like a real per-route limit.
    const rate = 40;
    let tokens = 4;
    let at = Date.now();
    let limited = 0;
    let accepted = 0;
    const limitedFetch: typeof fetch = async () => {
      const now = Date.now();
      tokens = Math.min(4, tokens + ((now - at) / 1000) * rate);
      at = now;
      if (tokens < 1) {
        limited++;
        return new Response('{"error":true,"reason":"rate_limited"}', { status: 429 });
      }
      tokens--;
      accepted++;
      return new Response('{"error":false,"reason":"updated","data":{}}', { status: 200 });
    };
    const crisp = createCrispRestClient({
      ...base,
      fetch: limitedFetch,
      concurrency: 4,
      retry: { minDelayMs: 1, maxDelayMs: 8 },
    });
    for (let i = 0; i < 40; i++) void crisp.setContactData("w", `p${i}`, { a: i });
    const report = await crisp.flush();
    expect(accepted).toBe(40);
    expect(report.failures).toEqual([]);
    // Blind retries every few ms would be refused several times per write; pacing keeps refusals rare.
    // Measured: ~20-40 refusals with pacing, ~800 with blind retries alone.
    expect(limited).toBeLessThan(100);
  });
});
