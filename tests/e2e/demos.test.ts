import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEMO_USERS, DEMO_WEBSITE_ID } from "@crisp-data/demo-shared/users";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumLaunchOptions } from "../../scripts/ensure-chromium.mjs";
import { demoUser, nextSessionId, POLL, save, sessionIdIn, settled } from "./demoPage";

const root = resolve(import.meta.dirname, "../..");
const refreshDocs = process.env.CRISP_DATA_SCREENSHOTS === "docs";
/** A test run writes its screenshots to an ignored folder; `pnpm screenshots` refreshes the README's on purpose. */
const SCREENSHOTS = resolve(root, refreshDocs ? "docs/screenshots" : "test-results/screenshots");

let emulator: Emulator;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A free port (the page is told where it is), so a `pnpm demo` left running never collides with the tests. Only
  // the README's screenshots try the demo's usual port, which they show.
  emulator = await (refreshDocs
    ? startEmulator({ port: 4100, websiteId: DEMO_WEBSITE_ID }).catch(() =>
        startEmulator({ websiteId: DEMO_WEBSITE_ID }),
      )
    : startEmulator({ websiteId: DEMO_WEBSITE_ID }));
  browser = await chromium.launch(chromiumLaunchOptions(inject("chromiumPath")));
});

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

function sessionOnEmulator(id: string) {
  return emulator.sessions().find((session) => session.sessionId === id);
}

/** The emulator's record of the session the page's chat box is on now. */
async function currentSession(page: Page) {
  const id = await sessionIdIn(page);
  return id ? sessionOnEmulator(id) : undefined;
}

const ada = demoUser("Ada");
const grace = demoUser("Grace");
const alan = demoUser("Alan");

test("a test run leaves the git tree alone: its screenshots go to an ignored folder", () => {
  if (refreshDocs) return;
  const ignored = spawnSync("git", ["check-ignore", "-q", SCREENSHOTS], { cwd: root });
  expect(ignored.status, `${SCREENSHOTS} is ignored by git`).toBe(0);
});

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
    // In words, from `error.issues`: the key and the rule, not the production build's JSON.
    await expect.poll(() => alert.textContent(), POLL).toContain('"Bad Key" is not a valid key');
    expect(await alert.textContent()).toContain('Try "bad_key"');
    expect(await alert.textContent()).not.toContain("[{");
    expect(await page.getByLabel("Key", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // Valid keys keep syncing while the bad one is on screen.
    await save(page, "seats", "12");
    await expect.poll(() => sessionOnEmulator(adaSession)?.data, POLL).toEqual({ ...adaEdited, seats: 12 });
    await page.getByRole("button", { name: "Delete Bad Key", exact: true }).click();
    await expect.poll(() => alert.count(), POLL).toBe(0);
    await settled(page);
    expect(sessionOnEmulator(adaSession)?.data).toEqual({ ...adaEdited, seats: 12 });
  });

  test("an empty value says it deletes the key, and deletes it", async () => {
    await save(page, "coupon", "spring");
    await expect.poll(() => sessionOnEmulator(adaSession)?.data.coupon, POLL).toBe("spring");
    await page.getByLabel("Key", { exact: true }).fill("coupon");
    await page.getByLabel("Value", { exact: true }).fill("");
    expect(await page.getByTestId("value-hint").textContent()).toContain('An empty value ("") deletes coupon');
    await page.getByRole("button", { name: "Delete key", exact: true }).click();
    // No blank row that looks saved: the key is gone from the editor and from the session.
    await expect.poll(() => page.getByRole("button", { name: "Delete coupon", exact: true }).count(), POLL).toBe(0);
    await expect.poll(() => sessionOnEmulator(adaSession)?.data, POLL).toEqual({ ...adaEdited, seats: 12 });
    await page.getByLabel("Key", { exact: true }).fill("");
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

describe.each(["react-demo", "vue-demo"] as const)("%s in two tabs", (app) => {
  test("signing in or out in one tab is followed by the other (storage event)", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    try {
      const url = new URL(inject("apps")[app]);
      url.searchParams.set("emulator", emulator.url);
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const tab of [first, second]) {
        await tab.goto(url.href);
        await tab.getByRole("button", { name: "Sign in as Alan", exact: true }).waitFor();
      }
      await first.getByRole("button", { name: "Sign in as Alan", exact: true }).click();
      await second.getByRole("button", { name: "Sign out", exact: true }).waitFor();
      expect(await second.getByText("Signed in as").textContent()).toContain("Alan Turing");
      // The other tab's library switched its Crisp session to Alan too.
      await expect.poll(async () => (await currentSession(second))?.email, POLL).toBe(alan.email);
      await second.getByRole("button", { name: "Sign out", exact: true }).click();
      await first.getByRole("button", { name: "Sign in as Alan", exact: true }).waitFor();
      await expect.poll(async () => (await currentSession(first))?.email, POLL).toBeNull();
    } finally {
      await context.close();
    }
  });
});

/** How far the page is wider than the viewport (0 when nothing overflows). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Inputs the emulator's chat button covers where a person stops scrolling: the top and the bottom of the page, and
 * each input brought to the middle of the screen.
 */
async function coveredInputs(page: Page): Promise<string[]> {
  const covered: string[] = [];
  const inputs = await page.locator("input, textarea, select").count();
  const positions: Array<"top" | "bottom" | number> = ["top", "bottom", ...Array.from({ length: inputs }, (_, i) => i)];
  for (const position of positions) {
    await page.evaluate((where) => {
      if (typeof where === "string") window.scrollTo(0, where === "top" ? 0 : document.body.scrollHeight);
      else document.querySelectorAll("input, textarea, select")[where]?.scrollIntoView({ block: "center" });
    }, position);
    covered.push(
      ...(await page.evaluate(() => {
        const launcher = document.getElementById("crisp-emulator-launcher")?.getBoundingClientRect();
        if (!launcher) return ["no launcher"];
        const controls = [...document.querySelectorAll("input, textarea, select")];
        return controls
          .filter((element) => {
            const box = element.getBoundingClientRect();
            const visible = box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
            return (
              visible &&
              box.left < launcher.right &&
              box.right > launcher.left &&
              box.top < launcher.bottom &&
              box.bottom > launcher.top
            );
          })
          .map((element) => element.outerHTML.slice(0, 80));
      })),
    );
  }
  return [...new Set(covered)];
}

describe("at 375 px wide (a phone)", () => {
  test.each(["react-demo", "vue-demo"] as const)(
    "%s: nothing overflows, the chat button covers no input",
    async (app) => {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
      try {
        const page = await context.newPage();
        const url = new URL(inject("apps")[app]);
        url.searchParams.set("emulator", emulator.url);
        await page.goto(url.href);
        await page.getByRole("button", { name: "Sign in as Alan", exact: true }).click();
        await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
        await settled(page);
        await save(page, "Bad Key", "oops");
        await page.getByRole("alert").waitFor();
        expect(await overflow(page)).toBe(0);
        expect(await coveredInputs(page)).toEqual([]);
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
      } finally {
        await context.close();
      }
    },
  );

  test("operator view: no page is wider than the phone", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    try {
      const page = await context.newPage();
      const [session] = emulator.sessions();
      for (const path of [
        "/",
        "/operator/shortcut",
        "/operator/audience",
        `/operator/conversation/${session?.sessionId}`,
      ]) {
        await page.goto(`${emulator.url}${path}`);
        expect(await overflow(page), path).toBe(0);
      }
    } finally {
      await context.close();
    }
  });
});
