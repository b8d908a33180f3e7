import { browserTransport, type CrispWindow, createCrispData } from "@crisp-data/core";
import { JSDOM, VirtualConsole } from "jsdom";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";
import { eventually } from "./page";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ websiteId: "demo-site" });
});
afterEach(() => emulator.close());

describe("@crisp-data/core driving the emulator like the demo apps do", () => {
  it("injects /l.js, then the user's email and data reach the emulator's session and contact", async () => {
    const errors: unknown[] = [];
    const virtualConsole = new VirtualConsole();
    virtualConsole.on("error", (...args) => errors.push(args));
    virtualConsole.on("jsdomError", (error) => errors.push(error));
    const dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", {
      url: "http://localhost:5173/",
      runScripts: "dangerously",
      resources: "usable",
      virtualConsole,
    });
    const window = dom.window as unknown as CrispWindow & { close(): void };
    const client = createCrispData({
      persist: false,
      transport: browserTransport({ window, load: true, websiteId: "demo-site", scriptUrl: emulator.scriptUrl }),
    });
    client.identify({ id: "u1", email: "ada@example.com", tokenId: "tok-u1" });
    client.set({ plan: "pro", seats: 3 });
    await client.flush();

    await eventually(() =>
      expect(emulator.contacts()).toMatchObject([{ email: "ada@example.com", data: { plan: "pro", seats: 3 } }]),
    );
    expect(emulator.sessions()).toMatchObject([{ tokenId: "tok-u1", data: { plan: "pro", seats: 3 } }]);

    client.identify({ id: "u2", email: "bob@example.com", tokenId: "tok-u2" });
    client.set({ plan: "free" });
    await client.flush();
    await eventually(() => expect(emulator.sessions()).toHaveLength(2));
    await eventually(() =>
      expect(emulator.sessions()[1]).toMatchObject({
        tokenId: "tok-u2",
        email: "bob@example.com",
        data: { plan: "free" },
      }),
    );
    expect(emulator.sessions()[0]?.data).toEqual({ plan: "pro", seats: 3 });
    expect(errors).toEqual([]);
    client.destroy();
    window.close();
  });
});
