import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CLI_PORT, formatEntry, parseCliArgs } from "../cliArgs";

describe("crisp-emulator flags", () => {
  it("maps every flag onto startEmulator options", () => {
    expect(
      parseCliArgs([
        "--port",
        "4100",
        "--website-id",
        "site",
        "--identifier",
        "id",
        "--key",
        "k",
        "--rate-limit",
        "5",
        "--rate-limit-status",
        "420",
        "--retry-after",
        "--faults-rate",
        "0.2",
        "--faults-seed",
        "9",
        "--faults-kinds",
        "500, reset",
      ]),
    ).toEqual({
      help: false,
      quiet: false,
      options: {
        port: 4100,
        websiteId: "site",
        identifier: "id",
        key: "k",
        rateLimit: { perSecond: 5, status: 420, retryAfter: true },
        faults: { rate: 0.2, seed: 9, kinds: ["500", "reset"] },
      },
    });
  });

  it("defaults to port 4100 with no limits or faults, and knows --help", () => {
    expect(parseCliArgs([])).toEqual({ help: false, quiet: false, options: { port: DEFAULT_CLI_PORT } });
    expect(parseCliArgs(["--faults-rate", "0.5"])).toMatchObject({ options: { faults: { rate: 0.5, seed: 1 } } });
    expect(parseCliArgs(["-h"])).toEqual({ help: true });
  });

  it("logs a request in one readable line, faults included", () => {
    const at = new Date("2026-01-02T07:16:23.637Z");
    const entry = { method: "POST", path: "/v1/website/demo/conversation", kind: "rest" as const, durationMs: 7 };
    expect(formatEntry({ ...entry, status: 200 }, at)).toBe(
      "07:16:23.637 200 POST   /v1/website/demo/conversation 7ms (rest)",
    );
    expect(formatEntry({ ...entry, status: 0, fault: "timeout" }, at)).toBe(
      "07:16:23.637 --- POST   /v1/website/demo/conversation 7ms (rest) [fault timeout]",
    );
  });

  it("takes extra origins and host names, repeatable, and --quiet silences the emulator too", () => {
    expect(
      parseCliArgs([
        "--allow-origin",
        "https://app.example.test",
        "--allow-origin",
        "http://lan.example.test:3000",
        "--allow-host",
        "emulator.test",
        "--quiet",
      ]),
    ).toEqual({
      help: false,
      quiet: true,
      options: {
        port: DEFAULT_CLI_PORT,
        allowedOrigins: ["https://app.example.test", "http://lan.example.test:3000"],
        allowedHosts: ["emulator.test"],
        quiet: true,
      },
    });
  });

  it("refuses bad values with a message naming the flag", () => {
    expect(() => parseCliArgs(["--port", "x"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--faults-rate", "0.1", "--faults-kinds", "418"])).toThrow(/418/);
    expect(() => parseCliArgs(["--rate-limit", "1", "--rate-limit-status", "503"])).toThrow(/429 or 420/);
    expect(() => parseCliArgs(["--bogus"])).toThrow(/bogus/);
  });
});

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const packageDir = fileURLToPath(new URL("../..", import.meta.url));

describe("the crisp-emulator bin", () => {
  it("is a committed launcher, so pnpm can link it on a fresh clone before anything is built", () => {
    const manifest = JSON.parse(readFileSync(`${packageDir}/package.json`, "utf8")) as { bin: Record<string, string> };
    const bin = manifest.bin["crisp-emulator"] ?? "";
    expect(bin).not.toMatch(/dist\//);
    // Tracked by git (not a build output), and executable.
    const tracked = execFileSync("git", ["ls-files", "--error-unmatch", bin], { cwd: packageDir, encoding: "utf8" });
    expect(tracked.trim()).toBe(bin.replace(/^\.\//, ""));
    expect(statSync(`${packageDir}/${bin}`).mode & 0o111).not.toBe(0);
  });

  it.skipIf(!existsSync(cli))("runs the built CLI", () => {
    const help = execFileSync(process.execPath, [`${packageDir}/bin/crisp-emulator.js`, "--help"], {
      encoding: "utf8",
    });
    expect(help).toContain("Usage: crisp-emulator");
  });
});
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

describe.skipIf(!existsSync(cli))("the built crisp-emulator binary (run pnpm build first)", () => {
  it("serves on the given port, logs one line per request and stops on SIGTERM", async () => {
    const server = spawn("node", [cli, "--port", "0", "--website-id", "cli-site"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = server;
    let output = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 5000);
      server.stdout?.on("data", () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const created = await fetch(`${url}/v1/website/cli-site/conversation`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("emulator-identifier:emulator-key").toString("base64")}`,
        "X-Crisp-Tier": "plugin",
      },
    });
    expect(created.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toMatch(/200 POST\s+\/v1\/website\/cli-site\/conversation \d+ms \(rest\)/);
  });
});
