import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEMO_USERS, DEMO_WEBSITE_ID, type DemoUser } from "@crisp-data/demo-shared/users";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumLaunchOptions } from "../../scripts/ensure-chromium.mjs";

const SCREENSHOTS = resolve(import.meta.dirname, "../../docs/screenshots");
const POLL = { timeout: 15_000, interval: 100 };

let emulator: Emulator;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The demo's usual port keeps the screenshots tidy; any free port works, since the page is told where it is.
  emulator = await startEmulator({ port: 4100, websiteId: DEMO_WEBSITE_ID }).catch(() =>
    startEmulator({ port: 0, websiteId: DEMO_WEBSITE_ID }),
  );
  browser = await chromium.launch(chromiumLaunchOptions(inject("chromiumPath")));
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

function user(name: string): DemoUser {
  const found = DEMO_USERS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no demo user ${name}`);
  return found;
}

/** The session the chat box in the page is on now, read from the emulated `$crisp` (null while one starts). */
function sessionIdIn(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const crisp = (window as unknown as { $crisp?: unknown }).$crisp as
      | { get?: (method: string) => unknown }
      | unknown[]
      | undefined;
    if (!crisp || Array.isArray(crisp) || typeof crisp.get !== "function") return null;
    const id = crisp.get("session:identifier");
    return typeof id === "string" ? id : null;
  });
}

/** Waits for a loaded session other than `previous`, and returns its id. */
async function nextSessionId(page: Page, previous?: string): Promise<string> {
  let id: string | null = null;
  await expect
    .poll(async () => {
      id = await sessionIdIn(page);
      return id !== null && id !== previous;
    }, POLL)
    .toBe(true);
  return id as unknown as string;
}

function sessionOnEmulator(id: string) {
  return emulator.sessions().find((session) => session.sessionId === id);
}

/** The emulator's record of the session the page's chat box is on now. */
async function currentSession(page: Page) {
  const id = await sessionIdIn(page);
  return id ? sessionOnEmulator(id) : undefined;
}

/** Waits until the library sent everything and the emulated chat box delivered it to the emulator. */
async function settled(page: Page) {
  await expect.poll(() => page.getByTestId("library-status").textContent(), POLL).toMatch(/^(synced|error)$/);
  await expect.poll(() => page.locator("#crisp-emulator-launcher").getAttribute("data-state"), POLL).toBe("ready");
}

async function save(page: Page, key: string, value: string) {
  await page.getByLabel("Key", { exact: true }).fill(key);
  await page.getByLabel("Value", { exact: true }).fill(value);
  await page.getByRole("button", { name: "Save", exact: true }).click();
}

const ada = user("Ada");
const grace = user("Grace");

test("both demos offer the same users", () => {
  expect(DEMO_USERS.map((demoUser) => demoUser.name)).toEqual(["Ada", "Grace", "Alan"]);
  // Both apps import the list from @crisp-data/demo-shared: check that each BUILT app carries every user.
  for (const app of ["react-demo", "vue-demo"]) {
    const assets = resolve(import.meta.dirname, "../../apps", app, "dist/assets");
    const bundle = readdirSync(assets)
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(resolve(assets, file), "utf8"))
      .join("\n");
    for (const demoUser of DEMO_USERS) expect(bundle, `${app} offers ${demoUser.email}`).toContain(demoUser.email);
  }
});

describe.each(["react-demo", "vue-demo"] as const)("%s", (app) => {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let adaSession = "";
  // What Ada's data becomes after the edits below.
  const adaEdited: Record<string, unknown> = { ...ada.data, plan: "enterprise", plan_price: 129 };
  delete adaEdited.is_trialing;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
    const url = new URL(inject("apps")[app]);
    url.searchParams.set("emulator", emulator.url);
    await page.goto(url.href);
    await page.getByRole("button", { name: "Sign in as Ada" }).waitFor();
  });

  afterAll(async () => {
    await context?.close();
  });

  test("signing in puts exactly the user's keys and email in the emulator's session", async () => {
    await nextSessionId(page);
    await page.getByRole("button", { name: "Sign in as Ada", exact: true }).click();
    await expect.poll(async () => (await currentSession(page))?.data, POLL).toEqual(ada.data);
    adaSession = await nextSessionId(page);
    const session = sessionOnEmulator(adaSession);
    expect(session?.email).toBe(ada.email);
    expect(session?.nickname).toBe(ada.nickname);
    expect(session?.websiteId).toBe(DEMO_WEBSITE_ID);
    // The page's panel reads the same back from the chat box.
    await expect.poll(() => page.getByTestId("crisp-session-id").textContent(), POLL).toBe(adaSession);
    await expect.poll(() => page.getByTestId("crisp-holds").textContent(), POLL).toContain("unlimited");
    await expect.poll(() => page.getByTestId("crisp-email").textContent(), POLL).toBe(ada.email);
  });

  test("editing a value and deleting a key: the session follows", async () => {
    await save(page, "plan", "enterprise");
    await save(page, "plan_price", "129");
    await page.getByRole("button", { name: "Delete is_trialing", exact: true }).click();
    await expect.poll(() => sessionOnEmulator(adaSession)?.data, POLL).toEqual(adaEdited);
    await expect.poll(() => page.getByTestId("crisp-holds").textContent(), POLL).toContain("enterprise");
    await expect.poll(() => page.getByTestId("crisp-holds").textContent(), POLL).not.toContain("is_trialing");
  });

  test("an invalid key shows the library's error next to the input and nothing else is lost", async () => {
    await save(page, "Bad Key", "oops");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent(), POLL).toContain('"Bad Key"');
    expect(await page.getByLabel("Key", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // Valid keys keep syncing while the bad one is on screen.
    await save(page, "seats", "12");
    await expect.poll(() => sessionOnEmulator(adaSession)?.data, POLL).toEqual({ ...adaEdited, seats: 12 });
    await page.getByRole("button", { name: "Delete Bad Key", exact: true }).click();
    await expect.poll(() => alert.count(), POLL).toBe(0);
    await settled(page);
    expect(sessionOnEmulator(adaSession)?.data).toEqual({ ...adaEdited, seats: 12 });
  });

  test("signing out starts a new session without the user's keys", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    const signedOutSession = await nextSessionId(page, adaSession);
    await settled(page);
    const session = sessionOnEmulator(signedOutSession);
    expect(session).toBeDefined();
    expect(session?.email).toBeNull();
    expect(session?.data).toEqual({});
    // Ada's conversation keeps what she had; nothing of it follows into the new one.
    expect(sessionOnEmulator(adaSession)?.email).toBe(ada.email);
    await expect.poll(() => page.getByTestId("crisp-session-id").textContent(), POLL).toBe(signedOutSession);
    await expect.poll(() => page.getByTestId("crisp-holds").textContent(), POLL).toContain("No custom data");
    expect(await page.getByTestId("crisp-email").textContent()).toContain("anonymous");
  });

  test("signing in as another user without reloading: only that user's keys", async () => {
    await page.getByRole("button", { name: "Sign in as Grace", exact: true }).click();
    await expect.poll(async () => (await currentSession(page))?.data, POLL).toEqual(grace.data);
    await settled(page);
    const id = await nextSessionId(page, adaSession);
    const session = sessionOnEmulator(id);
    expect(session?.email).toBe(grace.email);
    expect(session?.data).toEqual(grace.data);
    await expect.poll(() => page.getByTestId("crisp-holds").textContent(), POLL).toContain(String(grace.data.company));
    await page.screenshot({ path: resolve(SCREENSHOTS, `${app}.png`), fullPage: true });
  });

  test("a reload keeps the signed-in user and resumes the same Crisp session", async () => {
    const before = await nextSessionId(page);
    await page.reload();
    await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    expect(await nextSessionId(page)).toBe(before);
    await settled(page);
    const session = sessionOnEmulator(before);
    expect(session?.email).toBe(grace.email);
    expect(session?.data).toEqual(grace.data);
    await expect.poll(() => page.getByTestId("crisp-session-id").textContent(), POLL).toBe(before);
  });

  test("no errors in the browser console", () => {
    expect(errors).toEqual([]);
  });
});

describe("operator view", () => {
  test("lists the conversations and the contact data aggregated from them", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
      await page.goto(`${emulator.url}/`);
      // biome-ignore lint/performance/useDomNodeTextContent: only what a person sees counts, not embedded scripts.
      const text = () => page.locator("body").innerText();
      // Every conversation the demos made, and each contact with its aggregated data.
      const sessions = emulator.sessions();
      expect(sessions.length).toBeGreaterThanOrEqual(4);
      for (const session of sessions) {
        await expect.poll(text, POLL).toContain(session.sessionId);
        if (session.email) await expect.poll(text, POLL).toContain(session.email);
      }
      const contacts = emulator.contacts();
      expect(contacts.map((contact) => contact.email).sort()).toEqual([ada.email, grace.email].sort());
      const adaContact = contacts.find((contact) => contact.email === ada.email);
      // Both demos edited Ada's data the same way: the contact holds the result.
      expect(adaContact?.data).toMatchObject({ plan: "enterprise", plan_price: 129, seats: 12 });
      for (const contact of contacts) {
        for (const [key, value] of Object.entries(contact.data)) {
          await expect.poll(text, POLL).toContain(key);
          await expect.poll(text, POLL).toContain(String(value));
        }
      }
      await page.screenshot({ path: resolve(SCREENSHOTS, "operator-view.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
