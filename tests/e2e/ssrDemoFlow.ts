import { DEMO_WEBSITE_ID } from "@crisp-data/demo-shared/users";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumLaunchOptions } from "../../scripts/ensure-chromium.mjs";
import type { AppServer } from "./appServer";
import { demoUser, nextSessionId, POLL, save, sessionIdIn, settled } from "./demoPage";

/** How one server-rendered demo app is started against the test's emulator, and what its server writes. */
export interface SsrDemo {
  name: string;
  start(emulator: Emulator): Promise<AppServer>;
  /** The button that makes the server write contact data, and the data it writes. */
  serverWrite: { button: string; data: Record<string, unknown> };
  /** More tests against the running app, declared inside the demo's block. */
  moreTests?: (app: () => AppServer) => void;
}

/**
 * The other demos' flow (sign in, edit, invalid key, sign out, switch, reload) on a server-rendered app, plus what
 * only a server can do: a server-side write of contact data, and a reload after the user signed out elsewhere (the
 * server renders signed out while the browser still remembers the user) with no hydration warning.
 */
export function describeSsrDemo(demo: SsrDemo): void {
  describe(demo.name, () => {
    let emulator: Emulator;
    let browser: Browser;
    let app: AppServer;
    let context: BrowserContext;
    let page: Page;
    /** Every console error or warning and page error: hydration mismatches are reported there. */
    const problems: string[] = [];
    const ada = demoUser("Ada");
    const grace = demoUser("Grace");
    let adaSession = "";

    const session = (id: string) => emulator.sessions().find((candidate) => candidate.sessionId === id);
    const current = async () => {
      const id = await sessionIdIn(page);
      return id ? session(id) : undefined;
    };

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, websiteId: DEMO_WEBSITE_ID });
      [app, browser] = await Promise.all([
        demo.start(emulator),
        chromium.launch(chromiumLaunchOptions(inject("chromiumPath"))),
      ]);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
      page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") {
          problems.push(`console.${message.type()}: ${message.text()}`);
        }
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      await page.goto(app.url);
      await page.getByRole("button", { name: "Sign in as Ada" }).waitFor();
    });

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await app?.close();
      await emulator?.close();
    });

    test("signing in puts exactly the user's keys and email in the emulator's session", async () => {
      await nextSessionId(page);
      await page.getByRole("button", { name: "Sign in as Ada", exact: true }).click();
      await expect.poll(async () => (await current())?.data, POLL).toEqual(ada.data);
      adaSession = await nextSessionId(page);
      expect(session(adaSession)?.email).toBe(ada.email);
      await expect.poll(() => page.getByTestId("crisp-email").textContent(), POLL).toBe(ada.email);
    });

    test("editing, deleting and an invalid key: the session follows, the error is shown", async () => {
      await save(page, "plan", "enterprise");
      await page.getByRole("button", { name: "Delete is_trialing", exact: true }).click();
      const edited: Record<string, unknown> = { ...ada.data, plan: "enterprise" };
      delete edited.is_trialing;
      await expect.poll(() => session(adaSession)?.data, POLL).toEqual(edited);
      await save(page, "Bad Key", "oops");
      await expect.poll(() => page.getByRole("main").getByRole("alert").textContent(), POLL).toContain('"Bad Key"');
      await save(page, "seats", "12");
      await expect.poll(() => session(adaSession)?.data, POLL).toEqual({ ...edited, seats: 12 });
      await page.getByRole("button", { name: "Delete Bad Key", exact: true }).click();
      await expect.poll(() => page.getByRole("main").getByRole("alert").count(), POLL).toBe(0);
    });

    test("the server writes the signed-in user's contact data through @crisp-data/core/server", async () => {
      await settled(page);
      // The contact exists once the chat box sent the email.
      await expect.poll(() => emulator.contacts().some((contact) => contact.email === ada.email), POLL).toBe(true);
      await page.getByRole("button", { name: demo.serverWrite.button, exact: true }).click();
      await expect.poll(() => page.getByTestId("server-write").textContent(), POLL).toContain("Written on the server");
      const contact = emulator.contacts().find((candidate) => candidate.email === ada.email);
      expect(contact?.data).toMatchObject(demo.serverWrite.data);
    });

    test("signing out starts a new session without the user's keys; another user gets only theirs", async () => {
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      const signedOut = await nextSessionId(page, adaSession);
      await settled(page);
      expect(session(signedOut)?.email).toBeNull();
      expect(session(signedOut)?.data).toEqual({});
      await page.getByRole("button", { name: "Sign in as Grace", exact: true }).click();
      await expect.poll(async () => (await current())?.data, POLL).toEqual(grace.data);
      await settled(page);
      expect((await current())?.email).toBe(grace.email);
    });

    test("a reload renders the signed-in user on the server and resumes the same Crisp session", async () => {
      const before = await nextSessionId(page);
      // The session cookie is set by the server once the sign-in request is done.
      await expect.poll(async () => (await context.cookies()).length, POLL).toBeGreaterThan(0);
      const response = await page.reload();
      expect(await response?.text()).toContain(grace.nickname);
      await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
      expect(await nextSessionId(page)).toBe(before);
      await settled(page);
      expect(session(before)?.data).toEqual(grace.data);
    });

    test("signed out elsewhere: the server renders signed out, the browser resets Grace's session, no hydration warning", async () => {
      const graceSession = await nextSessionId(page);
      problems.length = 0;
      // Signed out elsewhere (another device, or the server ended the session) while this page was closed: the
      // cookie is gone, but this browser's chat session (and the library's memory of it) is still Grace's. (Closed:
      // Nuxt's useCookie would notice the change in a live page and sign out there.)
      await page.goto("about:blank");
      await context.clearCookies();
      const response = await page.goto(app.url);
      const html = (await response?.text()) ?? "";
      expect(html).toMatch(/Sign in as (<!-- -->)?Ada/);
      expect(html).not.toContain(grace.email);
      // What the server rendered for the status is what the browser hydrates with.
      expect(html).toMatch(/data-testid="library-status"[^>]*>idle</);
      const fresh = await nextSessionId(page, graceSession);
      await settled(page);
      expect(session(fresh)?.email).toBeNull();
      expect(session(fresh)?.data).toEqual({});
      expect(session(graceSession)?.data).toEqual(grace.data);
      expect(problems).toEqual([]);
    });

    demo.moreTests?.(() => app);

    test("no errors or warnings in the browser console", () => {
      expect(problems).toEqual([]);
    });
  });
}
