import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";
import { site } from "./helpers";
import { raw } from "./raw";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

const basic = (emulator: Emulator) => ({
  Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
  "X-Crisp-Tier": "plugin",
});

/** What a page on another site does: a preflighted REST call with the default credentials. */
async function putFrom(origin: string) {
  return raw(
    emulator,
    "PUT",
    `${site(emulator)}/people/data/ada@example.com`,
    { ...basic(emulator), Origin: origin, "Content-Type": "application/json" },
    JSON.stringify({ data: { plan: "hacked" } }),
  );
}

describe("which pages may call the emulator (Origin)", () => {
  beforeEach(async () => {
    await raw(
      emulator,
      "POST",
      `${site(emulator)}/people/profile`,
      { ...basic(emulator), "Content-Type": "application/json" },
      JSON.stringify({ email: "ada@example.com", person: { nickname: "Ada" }, data: { plan: "pro" } }),
    );
  });

  it("refuses another site's page: 403, no CORS headers, nothing read or written", async () => {
    const preflight = await raw(emulator, "OPTIONS", `${site(emulator)}/people/data/ada@example.com`, {
      Origin: "https://evil.example",
      "Access-Control-Request-Method": "PUT",
      "Access-Control-Request-Headers": "authorization,content-type,x-crisp-tier",
      "Access-Control-Request-Private-Network": "true",
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers["access-control-allow-private-network"]).toBeUndefined();

    const write = await putFrom("https://evil.example");
    expect(write.status).toBe(403);
    expect(write.headers["access-control-allow-origin"]).toBeUndefined();
    const read = await raw(emulator, "GET", `${site(emulator)}/people/data/ada@example.com`, {
      ...basic(emulator),
      Origin: "https://evil.example",
    });
    expect(read.status).toBe(403);
    expect(read.body).not.toContain("pro");
    expect(emulator.contacts()[0]?.data).toEqual({ plan: "pro" });
  });

  it("refuses another site's simple POST to the runtime (no preflight protects it): no session is made", async () => {
    const answer = await raw(
      emulator,
      "POST",
      "/runtime/sessions",
      { Origin: "http://evil.example:4173", "Content-Type": "text/plain" },
      JSON.stringify({ websiteId: emulator.websiteId }),
    );
    expect(answer.status).toBe(403);
    expect(emulator.sessions()).toEqual([]);
    for (const origin of ["null", "file://", "http://127.0.0.1.evil.example", "http://localhost.evil.example:80"]) {
      expect((await putFrom(origin)).status, origin).toBe(403);
    }
  });

  it("lets any loopback page in, on any port, and echoes its origin", async () => {
    for (const origin of ["http://127.0.0.1:3000", "http://localhost:5173", "http://[::1]:8080", "http://localhost"]) {
      const preflight = await raw(emulator, "OPTIONS", `${site(emulator)}/people/data/ada@example.com`, {
        Origin: origin,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Private-Network": "true",
      });
      expect(preflight.status, origin).toBe(204);
      expect(preflight.headers["access-control-allow-origin"], origin).toBe(origin);
      expect(preflight.headers["access-control-allow-private-network"], origin).toBe("true");
    }
    expect((await putFrom("http://localhost:5173")).status).toBe(200);
    expect(emulator.contacts()[0]?.data).toEqual({ plan: "hacked" });
  });

  it("lets in the origins named in allowedOrigins, and refuses a value that is not an origin", async () => {
    const open = await startEmulator({ allowedOrigins: ["https://app.example.test"] });
    try {
      const answer = await raw(open, "OPTIONS", "/runtime/sessions", { Origin: "https://app.example.test" });
      expect(answer.status).toBe(204);
      expect(answer.headers["access-control-allow-origin"]).toBe("https://app.example.test");
      const other = await raw(open, "OPTIONS", "/runtime/sessions", { Origin: "https://other.example.test" });
      expect(other.status).toBe(403);
    } finally {
      await open.close();
    }
    await expect(startEmulator({ allowedOrigins: ["app.example.test"] })).rejects.toThrow(/allowedOrigins/);
    await expect(startEmulator({ allowedOrigins: ["https://app.example.test/path"] })).rejects.toThrow(
      /allowedOrigins/,
    );
  });
});

describe("which names it answers to (Host, against DNS rebinding)", () => {
  it("answers 421 to a foreign Host on every part, state included", async () => {
    for (const path of ["/operator/state.json", "/", "/l.js", `${site(emulator)}/conversation`]) {
      const answer = await raw(emulator, "GET", path, { Host: `rebind.evil.example:${emulator.port}` });
      expect(answer.status, path).toBe(421);
      expect(answer.body, path).not.toContain("conversations");
    }
  });

  it("answers loopback names, and names listed in allowedHosts", async () => {
    for (const host of [`127.0.0.1:${emulator.port}`, `localhost:${emulator.port}`, `[::1]:${emulator.port}`]) {
      expect((await raw(emulator, "GET", "/operator/state.json", { Host: host })).status, host).toBe(200);
    }
    const named = await startEmulator({ allowedHosts: ["emulator.test"] });
    try {
      expect((await raw(named, "GET", "/l.js", { Host: `emulator.test:${named.port}` })).status).toBe(200);
      expect((await raw(named, "GET", "/l.js", { Host: `other.test:${named.port}` })).status).toBe(421);
    } finally {
      await named.close();
    }
    await expect(startEmulator({ allowedHosts: ["http://emulator.test"] })).rejects.toThrow(/allowedHosts/);
  });
});
