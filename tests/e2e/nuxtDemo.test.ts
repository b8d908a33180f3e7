import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { startAppServer } from "./appServer";
import { describeSsrDemo } from "./ssrDemoFlow";

const cwd = resolve(import.meta.dirname, "../../apps/nuxt-demo");

describeSsrDemo({
  name: "nuxt-demo (@crisp-data/nuxt, production build)",
  async start(emulator) {
    const server = resolve(cwd, ".output/server/index.mjs");
    if (!existsSync(server)) throw new Error("apps/nuxt-demo is not built: pnpm build");
    return startAppServer({
      cwd,
      args: () => [server],
      // The built app points at this test's emulator through the module's run-time overrides.
      env: (port) => ({
        NITRO_HOST: "127.0.0.1",
        NITRO_PORT: String(port),
        NUXT_PUBLIC_CRISP_SCRIPT_URL: `${emulator.url}/l.js`,
        NUXT_CRISP_API_URL: `${emulator.url}/v1/`,
      }),
    });
  },
  serverWrite: {
    button: "Mark as onboarded (server route)",
    data: { onboarded: true, onboarded_by: "nuxt-server-route" },
  },
});
