import { CrispDataError } from "@crisp-data/core";
import { describe, expect, it } from "vitest";
import { smoothLimiter, workerOptionsFromEnv } from "../env";

describe("crisp-data-worker environment", () => {
  it("defaults REDIS_URL to the local Redis and Crisp's API", () => {
    expect(workerOptionsFromEnv({ CRISP_API_IDENTIFIER: "id", CRISP_API_KEY: "key" })).toEqual({
      connection: "redis://127.0.0.1:6379",
      name: undefined,
      rest: { identifier: "id", key: "key" },
      jobConcurrency: undefined,
      lockDurationMs: undefined,
      limiter: { max: 1, duration: 100 },
    });
  });

  it("reads REDIS_URL, CRISP_API_URL and the tuning variables", () => {
    const options = workerOptionsFromEnv({
      REDIS_URL: "redis://10.0.0.2:6380",
      CRISP_API_IDENTIFIER: "id",
      CRISP_API_KEY: "key",
      CRISP_API_URL: "http://127.0.0.1:4100/v1/",
      CRISP_RATE_LIMIT: "25",
      CRISP_JOB_CONCURRENCY: "8",
      CRISP_LOCK_MS: "3000",
      CRISP_QUEUE_NAME: "crisp-eu",
    });
    expect(options).toMatchObject({
      connection: "redis://10.0.0.2:6380",
      name: "crisp-eu",
      rest: { identifier: "id", key: "key", baseUrl: "http://127.0.0.1:4100/v1/" },
      jobConcurrency: 8,
      lockDurationMs: 3000,
      limiter: { max: 3, duration: 120 },
    });
  });

  it("spreads CRISP_RATE_LIMIT over windows of about 100 ms, keeping the rate", () => {
    for (const perSecond of [0.5, 1, 7, 10, 25, 100, 1000]) {
      const { max, duration } = smoothLimiter(perSecond);
      expect(max).toBeGreaterThanOrEqual(1);
      expect(Math.abs((max * 1000) / duration - perSecond) / perSecond).toBeLessThan(0.05);
    }
  });

  it("names the missing credential, and never echoes the key", () => {
    expect(() => workerOptionsFromEnv({ CRISP_API_IDENTIFIER: "id" })).toThrow(CrispDataError);
    expect(() => workerOptionsFromEnv({ CRISP_API_IDENTIFIER: "id" })).toThrow(/CRISP_API_KEY/);
    expect(() =>
      workerOptionsFromEnv({ CRISP_API_IDENTIFIER: "id", CRISP_API_KEY: "s3cret", CRISP_RATE_LIMIT: "x" }),
    ).toThrow(/CRISP_RATE_LIMIT must be a positive number/);
    let message = "";
    try {
      workerOptionsFromEnv({ CRISP_API_IDENTIFIER: "id", CRISP_API_KEY: "s3cret", CRISP_LOCK_MS: "-1" });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/\[crisp-data\] CRISP_LOCK_MS/);
    expect(message).not.toContain("s3cret");
  });
});
