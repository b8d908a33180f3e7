import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { KEY_PATTERN } from "@crisp-data/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";
import { rest, site } from "./helpers";
import { type CrispPage, eventually, openPage, settled } from "./page";

let emulator: Emulator;
const pages: CrispPage[] = [];
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  for (const page of pages.splice(0)) {
    expect(page.errors).toEqual([]);
    page.close();
  }
  await emulator.close();
});

async function open(options: Parameters<typeof openPage>[1] = {}): Promise<CrispPage> {
  const page = await openPage(emulator, options);
  pages.push(page);
  return page;
}

describe("browser runtime (/l.js)", () => {
  it("drains the queue pushed before it loaded, in order, then replaces $crisp", async () => {
    const loadedWith: unknown[] = [];
    const page = await open({
      before(window) {
        window.$crisp = [
          [
            "set",
            "session:data",
            [
              [
                ["plan", "free"],
                ["seats", 1],
              ],
            ],
          ],
          ["set", "session:data", ["plan", "pro"]],
          ["set", "user:email", ["Ada@Example.com"]],
          ["set", "user:nickname", ["Ada"]],
          ["set", "user:phone", ["+44 20"]],
          [
            "set",
            "session:data",
            [
              [
                ["seats", ""],
                ["vip", true],
              ],
            ],
          ],
          ["on", "session:loaded", (id: unknown) => loadedWith.push(id)],
        ];
      },
    });
    expect(Array.isArray(page.window.$crisp)).toBe(false);
    await settled(page);
    const [session] = emulator.sessions();
    expect(session).toMatchObject({
      websiteId: emulator.websiteId,
      email: "ada@example.com",
      nickname: "Ada",
      phone: "+44 20",
      data: { plan: "pro", vip: true },
    });
    expect(loadedWith).toEqual([session?.sessionId]);
    expect(page.crisp.get("session:identifier")).toBe(session?.sessionId);
    expect(page.crisp.get("session:data")).toEqual({ plan: "pro", vip: true });
    expect(page.crisp.get("session:data", "plan")).toBe("pro");
    expect(page.crisp.is("chat:visible")).toBe(true);
    // The session's email made a contact holding the session's data.
    expect(emulator.contacts()).toMatchObject([{ email: "ada@example.com", data: { plan: "pro", vip: true } }]);
  });

  it("keeps commands pushed after load in order, and reads its own pending writes", async () => {
    const page = await open();
    for (let index = 0; index < 20; index++) page.crisp.push(["set", "session:data", [[["count", index]]]]);
    expect(page.crisp.get("session:data", "count")).toBe(19);
    await settled(page);
    expect(emulator.sessions()[0]?.data).toEqual({ count: 19 });
  });

  it("ignores invalid pairs with a warning naming them and applies the valid ones of the same push", async () => {
    const page = await open();
    page.crisp.push([
      "set",
      "session:data",
      [
        [
          ["Plan", "pro"],
          ["ok", "yes"],
          ["nested", { a: 1 }],
          ["gone", null],
          ["n", Number.NaN],
        ],
      ],
    ]);
    expect(page.warnings).toHaveLength(1);
    expect(page.warnings[0]).toContain('"Plan"');
    expect(page.warnings[0]).toContain('"nested"');
    expect(page.warnings[0]).toContain('"gone"');
    expect(page.warnings[0]).toContain('"n"');
    expect(page.warnings[0]).not.toContain('"ok"');
    page.crisp.push(["set", "user:email", ["not an email"]]);
    expect(page.warnings).toHaveLength(2);
    await settled(page);
    expect(emulator.sessions()[0]).toMatchObject({ data: { ok: "yes" }, email: null });
  });

  it("starts a new anonymous, empty session at once on reset and fires session:loaded again", async () => {
    const loaded: unknown[] = [];
    const page = await open();
    page.crisp.push(["on", "session:loaded", (id: unknown) => loaded.push(id)]);
    page.crisp.push(["set", "user:email", ["a@b.io"]], ["set", "session:data", [[["plan", "pro"]]]]);
    await settled(page);
    const first = page.crisp.get("session:identifier");

    page.crisp.push(["do", "session:reset"]);
    expect(page.crisp.get("session:identifier")).toBeNull();
    expect(page.crisp.get("session:data")).toEqual({});
    page.crisp.push(["set", "session:data", [[["after", 1]]]]);
    await settled(page);

    const second = page.crisp.get("session:identifier");
    expect(second).not.toBe(first);
    // Registered before the first session finished loading: it saw that one, then the new one.
    expect(loaded).toEqual([first, second]);
    expect(emulator.sessions()).toMatchObject([
      { sessionId: first, email: "a@b.io", data: { plan: "pro" } },
      { sessionId: second, email: null, data: { after: 1 } },
    ]);
    expect(emulator.contacts()[0]?.data).toEqual({ plan: "pro" });
  });

  it("creates the new session even when nothing follows the reset", async () => {
    const page = await open();
    await settled(page);
    page.crisp.push(["do", "session:reset", [false]]);
    await eventually(() => expect(emulator.sessions()).toHaveLength(2));
    expect(emulator.sessions()[1]).toMatchObject({ email: null, data: {} });
    page.crisp.push(["off", "session:loaded"]);
  });

  it("accepts user:email with a signature", async () => {
    const page = await open();
    page.crisp.push(["set", "user:email", ["Signed@Example.com", "hmac-of-the-email"]]);
    expect(page.crisp.get("user:email")).toBe("signed@example.com");
    await settled(page);
    expect(emulator.sessions()[0]).toMatchObject({ email: "signed@example.com" });
    expect(emulator.contacts()).toMatchObject([{ email: "signed@example.com" }]);
  });

  it("stops calling a session:loaded handler after off", async () => {
    const loaded: unknown[] = [];
    const page = await open();
    await settled(page);
    page.crisp.push(["on", "session:loaded", (id: unknown) => loaded.push(id)]);
    page.crisp.push(["do", "session:reset"]);
    await settled(page);
    expect(loaded).toEqual([page.crisp.get("session:identifier")]);
    page.crisp.push(["off", "session:loaded"], ["do", "session:reset"]);
    await settled(page);
    expect(emulator.sessions()).toHaveLength(3);
    expect(loaded).toHaveLength(1);
  });

  it("keeps a command pushed while the emulator is unreachable and delivers it once it is back", async () => {
    let failures = 0;
    const page = await open({
      before(window) {
        const send = window.XMLHttpRequest.prototype.send;
        window.XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, ...args) {
          this.addEventListener("error", () => failures++);
          return send.apply(this, args);
        };
      },
    });
    await settled(page);
    const { port } = emulator;
    await emulator.close();
    page.crisp.push(["set", "session:data", [[["while", "down"]]]]);
    // Nothing listens: wait for the runtime's first try to fail, then come back before its retries run out.
    await eventually(() => expect(failures).toBeGreaterThan(0));
    emulator = await startEmulator({ port });
    await settled(page);
    expect(emulator.sessions()).toMatchObject([{ data: { while: "down" } }]);
  });

  it("keeps the session across a reload", async () => {
    const first = await open();
    first.crisp.push(["set", "session:data", [[["plan", "pro"]]]]);
    await settled(first);
    const id = first.crisp.get("session:identifier");

    const reloaded = await open({ storage: first.storage() });
    await settled(reloaded);
    expect(reloaded.crisp.get("session:identifier")).toBe(id);
    expect(reloaded.crisp.get("session:data")).toEqual({ plan: "pro" });
    expect(emulator.sessions()).toHaveLength(1);

    const elsewhere = await open();
    await settled(elsewhere);
    expect(elsewhere.crisp.get("session:identifier")).not.toBe(id);
  });

  it("resumes the same session for the same CRISP_TOKEN_ID, even in another browser", async () => {
    const token = "6d4a1f0e-6d7b-4f7f-9f53-2e6c3f6a9b11";
    const laptop = await open({
      before(window) {
        window.CRISP_TOKEN_ID = token;
      },
    });
    laptop.crisp.push(["set", "session:data", [[["plan", "pro"]]]]);
    await settled(laptop);
    const phone = await open({
      before(window) {
        window.CRISP_TOKEN_ID = token;
      },
    });
    await settled(phone);
    expect(phone.crisp.get("session:identifier")).toBe(laptop.crisp.get("session:identifier"));
    expect(phone.crisp.get("session:data")).toEqual({ plan: "pro" });
    expect(emulator.sessions()).toMatchObject([{ tokenId: token }]);
  });

  it("switches user on logout and login: clear token, reset, new token, reset", async () => {
    const page = await open({
      before(window) {
        window.CRISP_TOKEN_ID = "token-a";
      },
    });
    page.crisp.push(["set", "session:data", [[["owner", "a"]]]]);
    await settled(page);
    const sessionA = page.crisp.get("session:identifier");

    page.window.CRISP_TOKEN_ID = null;
    page.crisp.push(["do", "session:reset"]);
    page.window.CRISP_TOKEN_ID = "token-b";
    page.crisp.push(["do", "session:reset"], ["set", "session:data", [[["owner", "b"]]]]);
    await settled(page);

    const sessions = emulator.sessions();
    expect(sessions.map((session) => [session.tokenId, session.data])).toEqual([
      ["token-a", { owner: "a" }],
      [null, {}],
      ["token-b", { owner: "b" }],
    ]);

    page.window.CRISP_TOKEN_ID = "token-a";
    page.crisp.push(["do", "session:reset"]);
    await settled(page);
    expect(page.crisp.get("session:identifier")).toBe(sessionA);
    expect(page.crisp.get("session:data")).toEqual({ owner: "a" });
  });

  it("records the country from the browser language, overridable", async () => {
    const british = await open({ language: "en-GB" });
    await settled(british);
    const plain = await open({ language: "fr" });
    await settled(plain);
    const forced = await open({
      before(window) {
        window.CRISP_EMULATOR_COUNTRY = "de";
      },
    });
    await settled(forced);
    expect(emulator.sessions().map((session) => session.country)).toEqual(["GB", null, "DE"]);
  });

  it("shows a launcher that opens a panel with the session", async () => {
    const page = await open();
    await settled(page);
    const launcher = page.window.document.getElementById("crisp-emulator-launcher") as HTMLButtonElement;
    const panel = page.window.document.getElementById("crisp-emulator-panel") as HTMLElement;
    expect(launcher.textContent).toContain("emulator");
    expect(panel.hidden).toBe(true);
    launcher.click();
    expect(page.crisp.is("chat:opened")).toBe(true);
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain(String(page.crisp.get("session:identifier")));
  });

  it("sees data a backend writes through REST after it reloads", async () => {
    const page = await open();
    await settled(page);
    const id = String(page.crisp.get("session:identifier"));
    await rest(emulator, "PATCH", `${site(emulator)}/conversation/${id}/meta`, { data: { from: "backend" } });
    const reloaded = await open({ storage: page.storage() });
    await settled(reloaded);
    expect(reloaded.crisp.get("session:data")).toEqual({ from: "backend" });
  });

  it("starts over on a restarted emulator without losing the command that found out", async () => {
    const page = await open({
      before(window) {
        window.CRISP_TOKEN_ID = "tok";
      },
    });
    await settled(page);
    const { port } = emulator;
    await emulator.close();
    emulator = await startEmulator({ port });
    page.crisp.push(["set", "session:data", [[["after", "restart"]]]]);
    await settled(page);
    expect(emulator.sessions()).toMatchObject([{ tokenId: "tok", data: { after: "restart" } }]);
    expect(page.warnings.join("\n")).toContain("restarted?");
  });

  it("reports a website the emulator does not serve", async () => {
    const page = await openPage(emulator, { websiteId: "someone-else" });
    await eventually(() => expect(page.errors.join("\n")).toContain("someone-else"));
    expect(emulator.sessions()).toEqual([]);
    page.close();
  });

  it("reads session data with own-property semantics: __proto__ is a key, constructor is not set", async () => {
    const page = await open();
    await settled(page);
    const read = (key?: string) => page.crisp.get("session:data", key);
    expect(read("constructor")).toBeUndefined();
    expect(read("tostring")).toBeUndefined();
    expect(read("__proto__")).toBeUndefined();
    page.crisp.push([
      "set",
      "session:data",
      [
        [
          ["__proto__", "kept"],
          ["constructor", 7],
        ],
      ],
    ]);
    // Pending (not yet answered) and then as the server holds it: the same own keys either way.
    for (const phase of ["pending", "delivered"]) {
      if (phase === "delivered") await settled(page);
      const data = read() as Record<string, unknown>;
      expect(Object.getPrototypeOf(data), phase).toBe(page.window.Object.prototype);
      expect(Object.keys(data).sort(), phase).toEqual(["__proto__", "constructor"]);
      expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value, phase).toBe("kept");
      expect(read("__proto__"), phase).toBe("kept");
      expect(read("constructor"), phase).toBe(7);
    }
    expect(emulator.sessions()[0]?.data).toEqual(JSON.parse('{"__proto__":"kept","constructor":7}'));
  });

  it("is served from the browser bundle tsup builds, told which server it came from", async () => {
    const served = await fetch(emulator.scriptUrl).then((response) => response.text());
    const built = readFileSync(fileURLToPath(new URL("../../dist/l.js", import.meta.url)), "utf8");
    expect(served).toBe(built.replace('"__CRISP_EMULATOR_ORIGIN__"', JSON.stringify(emulator.url)));
    // Core's key rule is bundled in at build time, not pasted in by the server.
    expect(built).toContain(String(KEY_PATTERN));
  });
});
