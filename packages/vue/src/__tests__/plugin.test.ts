import type { CrispCommand, CrispDataClient } from "@crisp-data/core";
import { mount } from "@vue/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createApp, defineComponent, h, version } from "vue";
import {
  CrispDataPlugin,
  type CrispDataPluginOptions,
  createCrispData,
  memoryTransport,
  useCrispData,
  useCrispDataClient,
} from "../index";
import { nextTurn, setup } from "./helpers";

type CrispGlobals = { $crisp?: CrispCommand[]; CRISP_WEBSITE_ID?: string };
const win = window as unknown as CrispGlobals;

beforeEach(() => {
  delete win.$crisp;
  delete win.CRISP_WEBSITE_ID;
  localStorage.clear();
  for (const script of document.querySelectorAll("script")) script.remove();
});

function Sync(data: Record<string, string>, seen?: (client: CrispDataClient) => void) {
  return defineComponent({
    setup() {
      seen?.(useCrispDataClient());
      useCrispData(data);
      return () => h("p", "sync");
    },
  });
}

/** Mounts an app with the plugin and two syncing components. */
function mountApp(options: CrispDataPluginOptions, seen?: (client: CrispDataClient) => void) {
  const root = document.createElement("div");
  document.body.append(root);
  const app = createApp({ render: () => [h(Sync({ plan: "pro" }, seen)), h(Sync({ seats: "3" }, seen))] });
  app.use(CrispDataPlugin, options);
  app.mount(root);
  return app;
}

describe("CrispDataPlugin", () => {
  it("provides the given client to every useCrispData", async () => {
    const { client, transport } = setup();
    const seen: CrispDataClient[] = [];
    const app = mountApp({ client }, (c) => seen.push(c));
    await nextTurn();
    expect(seen).toEqual([client, client]);
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["seats", "3"],
      ],
    ]);
    app.unmount();
    await nextTurn();
    // The given client stays the caller's: still alive after the app unmounts.
    client.set({ plan: "team" });
    await nextTurn();
    expect(transport.dataPushes().at(-1)).toEqual([["plan", "team"]]);
  });

  it("without a client, drives window.$crisp and injects the chat script once with websiteId, scriptUrl and nonce", async () => {
    let created: CrispDataClient | undefined;
    const app = mountApp(
      { websiteId: "site-1", load: true, scriptUrl: "http://127.0.0.1:9/l.js", nonce: "n0nce" },
      (c) => {
        created = c;
      },
    );
    await nextTurn();
    expect(win.$crisp).toEqual([
      [
        "set",
        "session:data",
        [
          [
            ["plan", "pro"],
            ["seats", "3"],
          ],
        ],
      ],
    ]);
    const scripts = document.querySelectorAll("script");
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.getAttribute("src")).toBe("http://127.0.0.1:9/l.js");
    expect(scripts[0]?.nonce).toBe("n0nce");
    expect(win.CRISP_WEBSITE_ID).toBe("site-1");
    app.unmount();
    // Vue 3.3 has no app.onUnmount: release the window by hand so the next test's client is the only one.
    if (!("onUnmount" in app)) created?.destroy();
  });

  it.runIf(version.startsWith("3.3."))("installs on Vue 3.3, which has no app.onUnmount", async () => {
    const warn = vi.spyOn(console, "warn");
    let created: CrispDataClient | undefined;
    const app = mountApp({}, (c) => {
      created = c;
    });
    await nextTurn();
    expect("onUnmount" in app).toBe(false);
    expect(win.$crisp).toEqual([
      [
        "set",
        "session:data",
        [
          [
            ["plan", "pro"],
            ["seats", "3"],
          ],
        ],
      ],
    ]);
    app.unmount();
    created?.destroy();
    expect(warn).not.toHaveBeenCalled();
  });

  it.skipIf(version.startsWith("3.3."))("destroys the client it created when the app unmounts (Vue 3.5+)", async () => {
    const warn = vi.spyOn(console, "warn");
    let created: CrispDataClient | undefined;
    const app = mountApp({}, (c) => {
      created = c;
    });
    await nextTurn();
    expect(created).toBeDefined();
    app.unmount();
    await nextTurn();
    const before = win.$crisp?.length;
    created?.set({ plan: "team" });
    await nextTurn();
    expect(win.$crisp?.length).toBe(before);
    // Released from the window: a new app's client does not warn about two clients.
    mountApp({}).unmount();
    expect(warn).not.toHaveBeenCalled();
  });

  it("works with @vue/test-utils' global.plugins (the README's testing example)", async () => {
    const transport = memoryTransport();
    const client = createCrispData({ transport });
    mount(Sync({ plan: "pro" }), { global: { plugins: [[CrispDataPlugin, { client }]] } });
    await client.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });
});
