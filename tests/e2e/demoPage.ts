import { DEMO_USERS, type DemoUser } from "@crisp-data/demo-shared/users";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** How long and how often the browser tests wait for the page, the chat box or the emulator to catch up. */
export const POLL = { timeout: 15_000, interval: 100 };

/** A demo user by name (`Ada`, `Grace`, `Alan`). */
export function demoUser(name: string): DemoUser {
  const found = DEMO_USERS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no demo user ${name}`);
  return found;
}

/** The session the chat box in the page is on now, read from the emulated `$crisp` (null while one starts). */
export function sessionIdIn(page: Page): Promise<string | null> {
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
export async function nextSessionId(page: Page, previous?: string): Promise<string> {
  let id: string | null = null;
  await expect
    .poll(async () => {
      id = await sessionIdIn(page);
      return id !== null && id !== previous;
    }, POLL)
    .toBe(true);
  return id as unknown as string;
}

/** Waits until the library sent everything and the emulated chat box delivered it to the emulator. */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId("library-status").textContent(), POLL).toMatch(/^(synced|error)$/);
  await expect.poll(() => page.locator("#crisp-emulator-launcher").getAttribute("data-state"), POLL).toBe("ready");
}

/** Adds or changes a key through the demo page's editor. */
export async function save(page: Page, key: string, value: string): Promise<void> {
  await page.getByLabel("Key", { exact: true }).fill(key);
  await page.getByLabel("Value", { exact: true }).fill(value);
  await page.getByRole("button", { name: "Save", exact: true }).click();
}
