import { fileURLToPath } from "node:url";
import { loadNuxt } from "@nuxt/kit";
import type { Nuxt } from "@nuxt/schema";
import { afterEach, expect, it } from "vitest";
import crispModule from "../module";

const fixture = fileURLToPath(new URL("./fixture/", import.meta.url));
let nuxt: Nuxt | undefined;
afterEach(async () => {
  await nuxt?.close();
  nuxt = undefined;
});

/** Loads the fixture app with the module and `crisp` options, as `nuxt build` would, without building. */
async function load(crisp: Record<string, unknown> | undefined) {
  const loaded = await loadNuxt({
    cwd: fixture,
    ready: false,
    overrides: { modules: [crispModule], ...(crisp ? { crisp } : {}), telemetry: false } as never,
  });
  nuxt = loaded;
  await loaded.ready();
  // What the auto-import scanner collects from modules.
  const imports: { name: string; from: string }[] = [];
  await loaded.callHook("imports:extend", imports as never);
  return { options: loaded.options, imports };
}

it("puts the `crisp` options in public runtime config, registers the client plugin and auto-imports useCrispData", async () => {
  const { options, imports } = await load({ websiteId: "site-1", load: true, scriptUrl: "http://127.0.0.1:9/l.js" });
  expect(options.runtimeConfig.public.crisp).toEqual({
    websiteId: "site-1",
    load: true,
    scriptUrl: "http://127.0.0.1:9/l.js",
  });
  const plugins = options.plugins.filter(
    (plugin) => typeof plugin !== "string" && plugin.src.includes("plugin.client"),
  );
  expect(plugins).toHaveLength(1);
  expect(plugins[0]).toMatchObject({ mode: "client" });
  const useCrispData = imports.find((entry) => entry.name === "useCrispData");
  expect(useCrispData?.from).toMatch(/runtime\/composables$/);
  expect(options.vite.optimizeDeps?.include).toEqual(
    expect.arrayContaining(["@crisp-data/nuxt > @crisp-data/vue", "@crisp-data/nuxt > @crisp-data/core"]),
  );
});

it("without options every key still exists, so NUXT_PUBLIC_CRISP_* can set it at run time", async () => {
  const { options } = await load(undefined);
  expect(options.runtimeConfig.public.crisp).toEqual({ websiteId: "", load: false, scriptUrl: "" });
});
