import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Emulator } from "@crisp-data/emulator";
import { build } from "esbuild";

/** A temporary directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "crisp-data-sync-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What `syncContacts` needs to talk to an emulator. */
export function emulatorTarget(emulator: Emulator) {
  return {
    apiUrl: `${emulator.url}/v1/`,
    websiteId: emulator.websiteId,
    identifier: emulator.identifier,
    key: emulator.key,
  };
}

/** Contact-data writes the emulator accepted (PATCH/PUT people/data answered 2xx), from `since` on. */
export function acceptedWrites(emulator: Emulator, since = 0): number {
  return emulator
    .requests({ since: since })
    .filter((r) => (r.method === "PATCH" || r.method === "PUT") && r.path.includes("/people/data/") && r.status < 300)
    .length;
}

/** Every REST request that wrote something (any status), from `since` on. */
export function writeAttempts(emulator: Emulator, since = 0): number {
  return emulator.requests({ since: since }).filter((r) => r.method !== "GET" && r.method !== "HEAD").length;
}

/** The emulator's contact data by email. */
export function contactData(emulator: Emulator): Map<string, Record<string, unknown>> {
  return new Map(emulator.contacts().map((c) => [c.email ?? c.peopleId, c.data]));
}

/** Calls the emulator's REST API as a backend does, waiting out its rate limit. */
export async function restCall(emulator: Emulator, method: string, path: string, body?: unknown): Promise<unknown> {
  for (;;) {
    const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
        "X-Crisp-Tier": "plugin",
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 429) {
      await new Promise((done) => setTimeout(done, 20));
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

/** Creates contacts (four requests at a time), as an app would have before the sync runs. */
export async function createContacts(emulator: Emulator, emails: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const email = emails[next++] as string;
      await restCall(emulator, "POST", "people/profile", { email, person: { nickname: email.split("@")[0] } });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

let cliBundle: Promise<string> | undefined;

/**
 * The `crisp-data-sync` binary, bundled from the sources (workspace packages included, npm dependencies left to
 * node_modules), so child-process tests need no `pnpm build`.
 */
export function cliPath(): Promise<string> {
  cliBundle ??= (async () => {
    const root = resolve(import.meta.dirname, "../..");
    const outdir = join(root, "node_modules", ".cache", "crisp-data-sync-test");
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, "cli.mjs");
    await build({
      entryPoints: [join(root, "src/cli.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@crisp-data/source"],
      external: ["better-sqlite3", "pg", "pg-cursor", "csv-parse", "cli-progress"],
      logLevel: "silent",
    });
    return outfile;
  })();
  return cliBundle;
}
