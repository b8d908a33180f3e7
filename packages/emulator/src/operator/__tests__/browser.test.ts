import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromiumLaunchOptions } from "../../../../../scripts/ensure-chromium.mjs";
import { startEmulator } from "../../index";
import { FakeState, seededState, serveOperator, XSS } from "./fakeState";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? "operator view in Chromium"
  : `operator view in Chromium (SKIPPED: no Chromium binary at ${CHROMIUM}; install it or set CHROMIUM_PATH)`;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A site on its own loopback port that loads the emulator's runtime the way an app loads Crisp's. */
async function serveApp(emulatorUrl: string, websiteId: string): Promise<string> {
  const page = `<!doctype html><html><head><script>window.CRISP_WEBSITE_ID = ${JSON.stringify(websiteId)};
window.$crisp = [];</script><script async src="${emulatorUrl}/l.js"></script></head><body><h1>Shop</h1></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        // Close the browser's keep-alive connections first, or close() would wait for them.
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Records dialogs (an XSS probe that ran would open one) and marks the window to prove there was no reload. */
async function watch(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });
  return dialogs;
}

const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload);

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions(CHROMIUM));
  }, 15_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("shows data set through the runtime appear live, probe inert, in the list and the audience preview", async () => {
    const emulator = await startEmulator();
    cleanups.push(() => emulator.close());
    const appUrl = await serveApp(emulator.url, emulator.websiteId);
    // fr-FR: the runtime derives the session's country from the browser language.
    const context = await browser.newContext({ locale: "fr-FR" });
    cleanups.push(() => context.close());

    const operator = await context.newPage();
    await operator.goto(`${emulator.url}/`);
    await operator.locator('#live-status[data-state="live"]').waitFor();
    const dialogs = await watch(operator);
    const audience = await context.newPage();
    await audience.goto(
      `${emulator.url}/operator/audience?q=${encodeURIComponent("plan_price > 50 AND country = FR")}`,
    );
    await audience.locator('#live-status[data-state="live"]').waitFor();
    await expect.poll(() => audience.locator("[data-count]").textContent()).toBe("0 of 0 contacts match");
    const audienceDialogs = await watch(audience);

    const app = await context.newPage();
    await app.goto(appUrl);
    await app.evaluate(
      ([probe]) => {
        const crisp = (window as unknown as { $crisp: { push: (command: unknown) => void } }).$crisp;
        crisp.push(["set", "user:email", ["ada@example.com"]]);
        crisp.push(["set", "user:nickname", [probe]]);
        crisp.push([
          "set",
          "session:data",
          [
            [
              ["plan", "pro"],
              ["plan_price", 79],
              ["note", probe],
            ],
          ],
        ]);
      },
      [XSS],
    );

    const row = operator.locator('[data-live="conversations"] tbody tr');
    await expect.poll(() => row.first().textContent(), { timeout: 5_000 }).toContain("plan_price = 79");
    const text = (await row.first().textContent()) ?? "";
    expect(text).toContain("ada@example.com");
    expect(text).toContain("FR");
    expect(text).toContain("plan = pro");
    expect(text).toContain(XSS);
    await expect
      .poll(() => operator.locator('[data-live="contacts"] tbody tr').first().textContent())
      .toContain("plan_price = 79");
    await expect.poll(() => audience.locator("[data-count]").textContent()).toBe("1 of 1 contacts match");

    for (const page of [operator, audience]) {
      expect(await page.locator("img, [onerror]").count()).toBe(0);
      expect(await stillSamePage(page)).toBe(true);
    }
    expect([...dialogs, ...audienceDialogs]).toEqual([]);

    // The stable link opens the conversation, which keeps updating live too.
    await row.first().locator("a").click();
    await operator.locator('#live-status[data-state="live"]').waitFor();
    await watch(operator);
    await app.evaluate(() => {
      const crisp = (window as unknown as { $crisp: { push: (command: unknown) => void } }).$crisp;
      crisp.push(["set", "session:data", [[["plan", "enterprise"]]]]);
    });
    await expect.poll(() => operator.locator('[data-live="detail"]').textContent()).toContain("enterprise");
    expect(await stillSamePage(operator)).toBe(true);
    expect(operator.url()).toMatch(/\/operator\/conversation\/session_/);
  });

  it("flags an emulator that went away, then one that came back as a new instance", async () => {
    let state = seededState("instance-1");
    const first = await serveOperator(() => state);
    cleanups.push(first.close);
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(`${first.url}/operator/conversation/session_ada`);
    await page.locator('#live-status[data-state="live"]').waitFor();
    const dialogs = await watch(page);
    expect(await page.locator("#restart-banner").isHidden()).toBe(true);

    await first.close();
    await page.locator('#live-status[data-state="down"]').waitFor();

    state = new FakeState("instance-2");
    const second = await serveOperator(() => state, first.port);
    cleanups.push(second.close);
    await page.locator("#restart-banner").waitFor({ state: "visible" });
    expect(await page.locator("#restart-banner").textContent()).toContain("The emulator restarted");
    await page.locator('#live-status[data-state="live"]').waitFor();
    // The conversation is gone in the new instance: the live region says so instead of showing stale data.
    await expect.poll(() => page.locator('[data-live="detail"]').textContent()).toContain("may have restarted");
    expect(await stillSamePage(page)).toBe(true);
    expect(dialogs).toEqual([]);
  });

  it("keeps a probe inert when it arrives through a live update of the fake state", async () => {
    const state = new FakeState();
    const server = await serveOperator(() => state);
    cleanups.push(server.close);
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(`${server.url}/operator/shortcut`);
    await page.locator('#live-status[data-state="live"]').waitFor();
    const dialogs = await watch(page);
    state.addSession({ sessionId: "session_x", nickname: XSS, data: { plan: XSS } });
    await expect.poll(() => page.locator('[data-live="shortcut"] .message').textContent()).toContain(XSS);
    expect(await page.locator("img, [onerror]").count()).toBe(0);
    expect(await page.locator('[data-live="shortcut"] .missing').count()).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);

    // New conversations join the picker live; picking one previews it at once.
    state.addSession({ sessionId: "session_y", email: "yan@example.com", data: { plan: "team" } });
    await page.locator('select[name="session"] option[value="session_y"]').waitFor({ state: "attached" });
    await page.locator('select[name="session"]').selectOption("session_y");
    await page.waitForURL(/session=session_y/);
    expect(await page.locator('[data-live="shortcut"] .message').textContent()).toContain("team");
  });

  it("falls back to polling state.json when the browser has no EventSource", async () => {
    const state = seededState();
    const server = await serveOperator(() => state);
    cleanups.push(server.close);
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, "EventSource");
    });
    const page = await context.newPage();
    // A fake clock, so the 2 s poll interval costs no real time.
    await page.clock.install();
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator("#live-status").textContent()).toBe("Live (polling)");
    await watch(page);
    state.updateSession("session_ada", { data: { plan: "polled" } });
    await page.clock.runFor(2_100);
    await expect
      .poll(() => page.locator('[data-session="session_ada"]').textContent(), { timeout: 5_000 })
      .toContain("plan = polled");
    expect(await stillSamePage(page)).toBe(true);
  });
});
