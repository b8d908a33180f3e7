// @vitest-environment node
import type { CrispDataClient } from "@crisp-data/core";
import { expect, inject, it, vi } from "vitest";
import { createSSRApp, defineComponent, h, ref, version } from "vue";
import { renderToString } from "vue/server-renderer";
import { CrispDataPlugin, useCrispData, useCrispDataClient } from "../index";
import { ALICE, nextTurn, SIX } from "./helpers";

function App(seen: CrispDataClient[]) {
  return defineComponent({
    setup() {
      seen.push(useCrispDataClient());
      const data = ref({ ...SIX });
      const { status, error } = useCrispData(data, { user: ALICE });
      return () => h("p", `${status.value} ${error.value ?? "ok"}`);
    },
  });
}

it("renders in plain Node and pushes nothing", async () => {
  expect(typeof window).toBe("undefined");
  expect(version.startsWith(`${inject("vueLine")}.`)).toBe(true);
  const warn = vi.spyOn(console, "warn");
  const seen: CrispDataClient[] = [];
  const first = createSSRApp(App(seen));
  first.use(CrispDataPlugin, { websiteId: "site-1", load: true });
  const html = await renderToString(first);
  // The initial status, as React renders `getServerSnapshot()`: the browser hydrates with the same.
  expect(html).toBe("<p>idle ok</p>");
  await renderToString(createSSRApp(App(seen)));
  await nextTurn();

  // Each request gets its own no-op client, so no two requests share a user; nothing reaches a global.
  expect(seen).toHaveLength(2);
  expect(seen[0]).not.toBe(seen[1]);
  const globals = globalThis as Record<string, unknown>;
  expect(globals.$crisp).toBeUndefined();
  expect(globals.CRISP_TOKEN_ID).toBeUndefined();
  expect(globals.CRISP_WEBSITE_ID).toBeUndefined();
  expect(warn).not.toHaveBeenCalled();
});
