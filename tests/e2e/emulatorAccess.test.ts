import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { chromiumLaunchOptions } from "../../scripts/ensure-chromium.mjs";

/**
 * The emulator holds conversation data and runs beside the user's browser: in a real Chromium, a page on another
 * site must not read or write it, and a rebound DNS name must not reach it. `evil.test` resolves to 127.0.0.1
 * inside this Chromium only (its host resolver rules), which is what DNS rebinding achieves for an attacker.
 */
let emulator: Emulator;
let browser: Browser;
let site: Server;
let sitePort = 0;

beforeAll(async () => {
  emulator = await startEmulator();
  site = createServer((_req, res) =>
    res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><p>a page"),
  );
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  sitePort = (site.address() as AddressInfo).port;
  const options = chromiumLaunchOptions(inject("chromiumPath"));
  browser = await chromium.launch({
    ...options,
    args: [...options.args, "--host-resolver-rules=MAP evil.test 127.0.0.1"],
  });
  const created = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
      "X-Crisp-Tier": "plugin",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ email: "ada@example.com", person: { nickname: "Ada" }, data: { plan: "pro" } }),
  });
  expect(created.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
  await new Promise((resolve) => site?.close(resolve));
});

/** From a page at `origin`, reads then overwrites Ada's data with the emulator's well-known credentials. */
async function attackFrom(origin: string) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      async ({ url, websiteId, auth }) => {
        const path = `${url}/v1/website/${websiteId}/people/data/ada@example.com`;
        const headers = { Authorization: auth, "X-Crisp-Tier": "plugin", "Content-Type": "application/json" };
        const outcome = async (request: Promise<Response>) => {
          try {
            const response = await request;
            return `${response.status} ${await response.text()}`;
          } catch (error) {
            return `blocked: ${(error as Error).name}`;
          }
        };
        return {
          read: await outcome(fetch(path, { headers })),
          write: await outcome(
            fetch(path, { method: "PUT", headers, body: JSON.stringify({ data: { plan: "hacked" } }) }),
          ),
        };
      },
      {
        url: emulator.url,
        websiteId: emulator.websiteId,
        auth: `Basic ${btoa(`${emulator.identifier}:${emulator.key}`)}`,
      },
    );
  } finally {
    await page.close();
  }
}

test("a page on another site can neither read nor write the emulator", async () => {
  const result = await attackFrom(`http://evil.test:${sitePort}`);
  expect(result.read).toMatch(/^blocked/);
  expect(result.write).toMatch(/^blocked/);
  expect(emulator.contacts()[0]?.data).toEqual({ plan: "pro" });
});

test("a page on this machine (loopback origin) can", async () => {
  const result = await attackFrom(`http://127.0.0.1:${sitePort}`);
  expect(result.read).toMatch(/^200 .*"plan":"pro"/);
  expect(result.write).toMatch(/^200/);
  expect(emulator.contacts()[0]?.data).toEqual({ plan: "hacked" });
});

test("a rebound name reaching the emulator's port gets 421, not the state", async () => {
  const page = await browser.newPage();
  try {
    const response = await page.goto(`http://evil.test:${emulator.port}/operator/state.json`);
    expect(response?.status()).toBe(421);
    expect(await page.content()).not.toContain("ada@example.com");
  } finally {
    await page.close();
  }
});
