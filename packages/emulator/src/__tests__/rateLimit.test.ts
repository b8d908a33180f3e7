import { afterEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../rest/rateLimiter";
import { type Emulator, startEmulator } from "../server";
import { rest, site } from "./helpers";

let emulator: Emulator | undefined;
afterEach(() => emulator?.close());

describe("rate limit", () => {
  it("allows a burst equal to the rate per route, then answers 429 without Retry-After", async () => {
    emulator = await startEmulator({ rateLimit: 2 });
    const create = () => rest(emulator as Emulator, "POST", `${site(emulator as Emulator)}/conversation`);
    const statuses = [(await create()).status, (await create()).status];
    const limited = await create();
    expect(statuses).toEqual([200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: true, reason: "rate_limited" });
    expect(limited.headers.get("retry-after")).toBeNull();
    // Only the two accepted requests created a conversation.
    expect(emulator.sessions()).toHaveLength(2);
    // Another route has its own bucket.
    expect((await rest(emulator, "GET", `${site(emulator)}/people/data/x@y.io`)).status).toBe(404);
  });

  it("counts per credential, and can answer 420 with Retry-After", async () => {
    emulator = await startEmulator({ rateLimit: { perSecond: 1, status: 420, retryAfter: true } });
    const path = `${site(emulator)}/conversation`;
    expect((await rest(emulator, "POST", path, undefined, { tier: "plugin" })).status).toBe(200);
    const limited = await rest(emulator, "POST", path, undefined, { tier: "plugin" });
    expect(limited.status).toBe(420);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await rest(emulator, "POST", path, undefined, { tier: "website" })).status).toBe(200);
    expect(emulator.requests().map((request) => request.status)).toEqual([200, 420, 200]);
  });

  it("refills over time and spends no token on rejected requests", () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take("a"), limiter.take("a")]).toEqual([0, 0]);
    expect(limiter.take("a")).toBeCloseTo(0.5);
    // Rejections in a row do not push the next allowed request further away.
    expect(limiter.take("a")).toBeCloseTo(0.5);
    now = 500;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBeGreaterThan(0);
    now = 10_000;
    // The burst is capped at the rate.
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a") > 0]).toEqual([0, 0, true]);
  });
});
