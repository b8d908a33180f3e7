import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { startAppServer } from "./appServer";
import { describeSsrDemo } from "./ssrDemoFlow";

const cwd = resolve(import.meta.dirname, "../../apps/next-demo");

describeSsrDemo({
  name: "next-demo (App Router, production build)",
  async start(emulator) {
    if (!existsSync(resolve(cwd, ".next/BUILD_ID"))) throw new Error("apps/next-demo is not built: pnpm build");
    const next = createRequire(resolve(cwd, "package.json")).resolve("next/dist/bin/next");
    return startAppServer({
      cwd,
      args: (port) => [next, "start", "--hostname", "127.0.0.1", "--port", String(port)],
      env: () => ({ CRISP_EMULATOR_URL: emulator.url, NEXT_TELEMETRY_DISABLED: "1" }),
    });
  },
  serverWrite: {
    button: "Mark as onboarded (server action)",
    data: { onboarded: true, onboarded_by: "next-server-action" },
  },
  moreTests(app) {
    test("a Server Component and a route handler get @crisp-data/react's real CrispDataError and memoryTransport", async () => {
      const html = await fetch(app().url).then((response) => response.text());
      expect(html).toContain("instanceof: true");
      expect(html).toMatch(/recorded(<!-- -->)? (<!-- -->)?1(<!-- -->)? push/);
      const check = await fetch(new URL("/api/server-check", app().url)).then((response) => response.json());
      expect(check).toEqual({ errorIsInstance: true, pushes: 1 });
    });

    test("the browser chunks carry no REST client and no credentials, though a server action imports it", () => {
      const chunks = resolve(cwd, ".next/static/chunks");
      const code = readdirSync(chunks)
        .filter((file) => file.endsWith(".js"))
        .map((file) => readFileSync(resolve(chunks, file), "utf8"))
        .join("\n");
      expect(code).toContain("Sign in as");
      for (const text of ["X-Crisp-Tier", "api.crisp.chat", "emulator-key", "was imported into browser code"]) {
        expect(code, text).not.toContain(text);
      }
    });
  },
});
