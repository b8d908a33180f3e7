import { afterEach, describe, expect, it } from "vitest";
import type { FaultOptions } from "../options";
import { type Emulator, startEmulator } from "../server";
import { rest, site } from "./helpers";
import { eventually } from "./page";

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

async function start(faults: FaultOptions): Promise<Emulator> {
  const emulator = await startEmulator({ faults });
  started.push(emulator);
  return emulator;
}

async function outcomes(emulator: Emulator, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let index = 0; index < count; index++) {
    const call = await rest(emulator, "POST", `${site(emulator)}/conversation`);
    seen.push(String(call.status));
  }
  return seen;
}

describe("fault injection", () => {
  it("gives the same faults for the same seed and arrival order, others for another seed", async () => {
    const options = { rate: 0.5, seed: 42, kinds: ["429", "420", "500", "503"] } satisfies FaultOptions;
    const first = await outcomes(await start(options), 30);
    const second = await outcomes(await start(options), 30);
    const other = await outcomes(await start({ ...options, seed: 7 }), 30);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(["200", "429", "420", "500", "503"]));
  });

  it("never applies a faulted request and logs it with its fault", async () => {
    const emulator = await start({ rate: 0.5, seed: 3, kinds: ["500", "503"] });
    const seen = await outcomes(emulator, 20);
    const succeeded = seen.filter((status) => status === "200").length;
    expect(succeeded).toBeGreaterThan(0);
    expect(succeeded).toBeLessThan(20);
    expect(emulator.sessions()).toHaveLength(succeeded);
    const faulted = emulator.requests().filter((request) => request.fault);
    expect(faulted).toHaveLength(20 - succeeded);
    expect(faulted.every((request) => String(request.status) === request.fault)).toBe(true);
  });

  it("hangs a timeout fault until the client gives up, without applying it", async () => {
    const emulator = await start({ rate: 1, seed: 1, kinds: ["timeout"] });
    const call = fetch(`${emulator.url}${site(emulator)}/conversation`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("emulator-identifier:emulator-key").toString("base64")}`,
        "X-Crisp-Tier": "plugin",
      },
      signal: AbortSignal.timeout(200),
    });
    await expect(call).rejects.toThrow(/abort|timeout/i);
    expect(emulator.sessions()).toEqual([]);
    expect(emulator.requests()).toEqual([
      { seq: 1, method: "POST", path: `${site(emulator)}/conversation`, status: 0, fault: "timeout" },
    ]);
  });

  it("ends hung requests and open event streams on close()", async () => {
    const emulator = await start({ rate: 1, seed: 1, kinds: ["timeout"] });
    const call = fetch(`${emulator.url}${site(emulator)}/conversation`, { method: "POST" });
    const stream = await fetch(`${emulator.url}/operator/events`);
    const streamBody = stream.text();
    // Wait until the server holds the hung request, rather than for a guessed delay.
    await eventually(() => expect(emulator.requests()).toMatchObject([{ status: 0, fault: "timeout" }]));
    // Without close() destroying the sockets, neither would ever end and this test would time out.
    await emulator.close();
    await expect(call).rejects.toThrow();
    await expect(streamBody).rejects.toThrow();
  });

  it("resets the connection for a reset fault", async () => {
    const emulator = await start({ rate: 1, seed: 1, kinds: ["reset"] });
    await expect(fetch(`${emulator.url}${site(emulator)}/conversation`, { method: "POST" })).rejects.toThrow(
      /fetch failed/,
    );
    expect(emulator.requests()[0]).toMatchObject({ status: 0, fault: "reset" });
    expect(emulator.sessions()).toEqual([]);
  });

  it("refuses impossible options", async () => {
    await expect(startEmulator({ faults: { rate: 2, seed: 1 } })).rejects.toThrow(/rate/);
    await expect(startEmulator({ faults: { rate: 0.1, seed: 1, kinds: [] } })).rejects.toThrow(/kinds/);
    await expect(startEmulator({ rateLimit: 0 })).rejects.toThrow(/perSecond/);
  });
});
