// @vitest-environment happy-dom

import { browserTransport, type CrispWindow, createCrispData, DEFAULT_SCRIPT_URL } from "@crisp-data/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { nextTurn } from "./helpers";

const win = window as unknown as CrispWindow & Record<string, unknown>;

afterEach(() => {
  delete win.$crisp;
  delete win.CRISP_TOKEN_ID;
  delete win.CRISP_WEBSITE_ID;
  delete win.CRISP_RUNTIME_CONFIG;
  for (const script of document.querySelectorAll("script")) script.remove();
  localStorage.clear();
});

describe("browserTransport", () => {
  test("queues onto window.$crisp, creating it as an array before the chat script loads", async () => {
    const client = createCrispData({ transport: browserTransport() });
    client.set({ plan: "pro" });
    await nextTurn();
    expect(Array.isArray(win.$crisp)).toBe(true);
    expect(win.$crisp).toEqual([["set", "session:data", [[["plan", "pro"]]]]]);
    client.destroy();
  });

  test("keeps an existing queue and never calls $crisp.get or $crisp.is", async () => {
    const loaded = {
      push: vi.fn(),
      get: vi.fn(() => {
        throw new TypeError("not loaded");
      }),
      is: vi.fn(() => {
        throw new TypeError("not loaded");
      }),
    };
    win.$crisp = loaded;
    const client = createCrispData({ transport: browserTransport() });
    client.identify({ id: "u1", tokenId: "t1" });
    client.set({ plan: "pro" });
    await nextTurn();
    expect(loaded.push).toHaveBeenCalledWith(["set", "session:data", [[["plan", "pro"]]]]);
    expect(loaded.get).not.toHaveBeenCalled();
    expect(loaded.is).not.toHaveBeenCalled();
    // Loaded already: the token needs a reset to take effect.
    expect(loaded.push).toHaveBeenCalledWith(["do", "session:reset"]);
    expect(win.CRISP_TOKEN_ID).toBe("t1");
    client.destroy();
  });

  test("load: true injects the loader once, after the token of the first turn is set", async () => {
    win.CRISP_RUNTIME_CONFIG = { locale: "fr" };
    const transport = browserTransport({ load: true, websiteId: "site-1", nonce: "n0nce" });
    const client = createCrispData({ transport });
    client.identify({ id: "u1", tokenId: "tok" });
    await nextTurn();
    transport.inject?.();
    const scripts = document.querySelectorAll(`script[src="${DEFAULT_SCRIPT_URL}"]`);
    expect(scripts).toHaveLength(1);
    expect((scripts[0] as HTMLScriptElement).async).toBe(true);
    expect((scripts[0] as HTMLScriptElement).nonce).toBe("n0nce");
    expect(win.CRISP_WEBSITE_ID).toBe("site-1");
    expect(win.CRISP_TOKEN_ID).toBe("tok");
    expect(win.CRISP_RUNTIME_CONFIG).toEqual({ locale: "fr" });
    client.destroy();
  });

  test("a custom scriptUrl (the emulator's) is used; without load or websiteId nothing is injected", async () => {
    // Three clients share this window on purpose: the "two clients" warning is expected here.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    createCrispData({
      transport: browserTransport({ load: true, websiteId: "w", scriptUrl: "http://127.0.0.1:4100/l.js" }),
    }).destroy();
    const unloaded = createCrispData({ transport: browserTransport({ websiteId: "w" }) });
    const noSite = createCrispData({ transport: browserTransport({ load: true }) });
    await nextTurn();
    expect([...document.querySelectorAll("script")].map((s) => s.src)).toEqual([]);
    const client = createCrispData({
      transport: browserTransport({ load: true, websiteId: "w", scriptUrl: "http://127.0.0.1:4100/l.js" }),
    });
    await nextTurn();
    expect([...document.querySelectorAll("script")].map((s) => s.src)).toEqual(["http://127.0.0.1:4100/l.js"]);
    for (const c of [unloaded, noSite, client]) c.destroy();
    expect(warn.mock.calls.every(([message]) => String(message).includes("Two crisp-data clients"))).toBe(true);
    warn.mockRestore();
  });

  test("logout deletes CRISP_TOKEN_ID before pushing the reset", async () => {
    const order: string[] = [];
    win.$crisp = {
      push: (command: readonly unknown[]) => order.push(`${command[1]} token=${String(win.CRISP_TOKEN_ID)}`),
    };
    const client = createCrispData({ transport: browserTransport() });
    client.identify({ id: "u1", tokenId: "t1" });
    await nextTurn();
    order.length = 0;
    client.identify(null);
    await nextTurn();
    expect(order).toEqual(["session:reset token=undefined"]);
    expect("CRISP_TOKEN_ID" in win).toBe(false);
    client.destroy();
  });

  test("remembers the session's user in localStorage per website", async () => {
    const client = createCrispData({ transport: browserTransport({ websiteId: "site-9" }) });
    client.identify({ id: "u1" });
    client.set({ plan: "pro" });
    await nextTurn();
    expect(JSON.parse(localStorage.getItem("crisp-data:site-9") ?? "null")).toEqual({ user: "u1", keys: ["plan"] });
    client.destroy();
  });

  test("two clients on one window warn in development", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = createCrispData({ transport: browserTransport() });
    expect(warn).not.toHaveBeenCalled();
    const second = createCrispData({ transport: browserTransport() });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Two crisp-data clients"));
    first.destroy();
    second.destroy();
    warn.mockClear();
    createCrispData({ transport: browserTransport() }).destroy();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
