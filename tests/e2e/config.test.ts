import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { crispSetup, EMULATOR_URL } from "@crisp-data/demo-shared/config";
import { describeIssues } from "@crisp-data/demo-shared/issues";
import { applyEdit, DEMO_WEBSITE_ID } from "@crisp-data/demo-shared/users";
import { describe, expect, test } from "vitest";
import { DEFAULT_CHROMIUM_PATH, findChromium } from "../../scripts/ensure-chromium.mjs";

const root = resolve(import.meta.dirname, "../..");
const env = (vars: Record<string, string>) => vars as unknown as ImportMetaEnv;

describe("where the demos' chat box comes from (apps/demo-shared/src/config.ts)", () => {
  test("by default: the emulator's runtime on port 4100 and its operator view", () => {
    expect(crispSetup(env({}), "")).toEqual({
      mode: "emulator",
      websiteId: DEMO_WEBSITE_ID,
      scriptUrl: `${EMULATOR_URL}/l.js`,
      operatorUrl: `${EMULATOR_URL}/`,
    });
    expect(EMULATOR_URL).toBe("http://127.0.0.1:4100");
  });

  test("VITE_CRISP_WEBSITE_ID: the real Crisp chat box (Crisp's own script), whatever the page URL says", () => {
    const setup = crispSetup(env({ VITE_CRISP_WEBSITE_ID: " site-1 " }), "?emulator=http://127.0.0.1:4200");
    expect(setup).toEqual({ mode: "crisp", websiteId: "site-1", scriptUrl: undefined, operatorUrl: null });
  });

  test("VITE_CRISP_SCRIPT_URL: another chat script", () => {
    const setup = crispSetup(env({ VITE_CRISP_SCRIPT_URL: "http://127.0.0.1:4200/l.js" }), "");
    expect(setup.scriptUrl).toBe("http://127.0.0.1:4200/l.js");
    expect(setup.operatorUrl).toBe("http://127.0.0.1:4200/");
  });

  test("?emulator= takes loopback http origins only", () => {
    expect(crispSetup(env({}), "?emulator=http://localhost:4300").scriptUrl).toBe("http://localhost:4300/l.js");
    for (const other of ["https://evil.example:4300", "http://10.0.0.1:4300", "http://127.0.0.1", "nonsense"]) {
      expect(crispSetup(env({}), `?emulator=${other}`).scriptUrl, other).toBe(`${EMULATOR_URL}/l.js`);
    }
  });
});

describe("finding Chromium (scripts/ensure-chromium.mjs)", () => {
  test("CHROMIUM_PATH wins, and a wrong one is named in a one-line error", () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(() => findChromium({ CHROMIUM_PATH: "/nowhere/chromium" })).toThrow(
      /^CHROMIUM_PATH=\/nowhere\/chromium is not an executable file[^\n]*$/,
    );
  });

  test(`else ${DEFAULT_CHROMIUM_PATH}`, () => {
    expect(DEFAULT_CHROMIUM_PATH).toBe("/usr/bin/chromium");
    expect([DEFAULT_CHROMIUM_PATH, null]).toContain(findChromium({}));
  });
});

test('in the built @crisp-data/react, only the hook and the provider are "use client" modules (Next.js App Router)', () => {
  const read = (file: string) => readFileSync(resolve(root, "packages/react/dist", file), "utf8");
  for (const extension of ["js", "cjs"]) {
    for (const client of ["useCrispData", "CrispDataProvider"]) {
      expect(read(`${client}.${extension}`).startsWith('"use client";'), `${client}.${extension}`).toBe(true);
    }
    // The entry and the shared context stay plain modules: a Server Component gets the real CrispDataError class.
    for (const plain of ["index", "context"]) {
      expect(read(`${plain}.${extension}`), `${plain}.${extension}`).not.toContain("use client");
    }
    // The entry imports the client modules instead of bundling a copy (one React context for the hook and provider).
    expect(read(`index.${extension}`)).toContain(`./useCrispData.${extension}`);
    expect(read(`index.${extension}`)).not.toContain("useSyncExternalStore");
  }
});

describe("the demos' editor rules (apps/demo-shared)", () => {
  test("an empty value deletes the key instead of saving a blank one; other values keep their place", () => {
    const data = { plan: "pro", seats: 3 };
    expect(applyEdit(data, "plan", "")).toEqual({ seats: 3 });
    expect(Object.keys(applyEdit(data, "plan", "team"))).toEqual(["plan", "seats"]);
    expect(applyEdit(data, "seats", "12")).toEqual({ plan: "pro", seats: 12 });
    expect(applyEdit(data, "vip", "true")).toEqual({ plan: "pro", seats: 3, vip: true });
  });

  test("errors in words from error.issues: the key and the rule", () => {
    expect(
      describeIssues({
        issues: [
          { key: "Bad Key", code: "invalid_key" },
          { key: "!!!", code: "invalid_key" },
          { key: "note", code: "invalid_value" },
        ],
      }),
    ).toEqual([
      '"Bad Key" is not a valid key: use 1 to 50 lowercase letters, digits, _ or -. Try "bad_key".',
      '"!!!" is not a valid key: use 1 to 50 lowercase letters, digits, _ or -.',
      'The value of "note" cannot be sent: use text (at most 500 characters), a number or true/false.',
    ]);
    expect(describeIssues(null)).toEqual([]);
  });
});
