import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCliArgs } from "../cli/args";
import { EXIT, runCli } from "../cli/main";
import { createProgressView, LINE_INTERVAL_MS, type OutputStream } from "../cli/progress";
import { acceptedWrites, tempDir } from "./helpers";

function collector(isTTY = false): OutputStream & { text: () => string } {
  let text = "";
  const stream = {
    isTTY,
    columns: 160,
    write(chunk: string | Uint8Array) {
      text += String(chunk);
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
    text: () => text,
  };
  return stream as unknown as OutputStream & { text: () => string };
}

describe("crisp-data-sync flags", () => {
  it("maps every flag onto syncContacts options, credentials from the environment by default", () => {
    const env = { CRISP_API_IDENTIFIER: "env-id", CRISP_API_KEY: "env-key" };
    expect(
      parseCliArgs(
        [
          "--from",
          "postgres://app@127.0.0.1/app",
          "--query",
          "select email, plan from users",
          "--website-id",
          "site",
          "--api-url",
          "http://127.0.0.1:1/v1/",
          "--email-column",
          "mail",
          "--nickname-column",
          "name",
          "--types",
          "plan_price=number, is_trialing=boolean",
          "--state",
          "/tmp/s",
          "--dry-run",
          "--concurrency",
          "8",
          "--max-rows",
          "100",
        ],
        env,
      ),
    ).toEqual({
      help: false,
      options: {
        from: "postgres://app@127.0.0.1/app",
        query: "select email, plan from users",
        websiteId: "site",
        apiUrl: "http://127.0.0.1:1/v1/",
        identifier: "env-id",
        key: "env-key",
        emailColumn: "mail",
        nicknameColumn: "name",
        types: { plan_price: "number", is_trialing: "boolean" },
        state: "/tmp/s",
        dryRun: true,
        concurrency: 8,
        maxRows: 100,
      },
    });
    expect(parseCliArgs(["--from", "a.csv", "--website-id", "w", "--identifier", "i", "--key", "k"], {})).toMatchObject(
      { options: { identifier: "i", key: "k", dryRun: false } },
    );
    expect(parseCliArgs(["-h"], {})).toEqual({ help: true });
  });

  it("refuses bad usage naming the flag", () => {
    const base = ["--from", "a.csv", "--website-id", "w", "--identifier", "i", "--key", "k"];
    expect(() => parseCliArgs(["--website-id", "w"], {})).toThrow(/--from/);
    expect(() => parseCliArgs(["--from", "a.csv", "--website-id", "w"], {})).toThrow(/--identifier/);
    expect(() => parseCliArgs(["--from", "a.csv", "--website-id", "w", "--identifier", "i"], {})).toThrow(/--key/);
    expect(() => parseCliArgs([...base, "--concurrency", "0"], {})).toThrow(/--concurrency/);
    expect(() => parseCliArgs([...base, "--max-rows", "1.5"], {})).toThrow(/--max-rows/);
    expect(() => parseCliArgs([...base, "--types", "plan=date"], {})).toThrow(/--types entry "plan=date"/);
    expect(() => parseCliArgs([...base, "--bogus"], {})).toThrow(/--bogus/);
  });
});

describe("crisp-data-sync exit codes and output", () => {
  let emulator: Emulator;
  let temp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: 200 });
    temp = tempDir();
  });
  afterAll(async () => {
    await emulator.close();
    temp.remove();
  });

  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const stdout = collector();
    const stderr = collector();
    const code = await runCli(args, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const target = () => [
    "--website-id",
    emulator.websiteId,
    "--api-url",
    `${emulator.url}/v1/`,
    "--identifier",
    emulator.identifier,
    "--key",
    emulator.key,
  ];

  it("0 when every row is written, with a summary table", async () => {
    const from = join(temp.dir, "ok.csv");
    writeFileSync(from, "email,plan\nada@example.com,pro\ngrace@example.com,team\n");
    const result = await run(["--from", from, "--state", join(temp.dir, "ok"), ...target()]);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^Done\.$/m);
    expect(result.stdout).toMatch(/\| written\s+\|\s+2 \|/);
    expect(result.stdout).toMatch(/\| requests\s+\|\s+6 \(0 retries\) \|/);
  });

  it("1 when rows are skipped or refused, listed in the report file next to the state", async () => {
    const from = join(temp.dir, "bad.csv");
    writeFileSync(from, "email,plan\nnope,pro\nnobody@example.com,team\n");
    const state = join(temp.dir, "bad");
    const result = await run([
      "--from",
      from,
      "--state",
      state,
      ...target().slice(0, 1),
      "no-such-site",
      ...target().slice(2),
    ]);
    expect(result.code).toBe(EXIT.rowsFailed);
    expect(result.stdout).toContain("skipped: line 2: invalid email");
    expect(result.stdout).toMatch(/failed: line 3: Crisp answered 404 \(not_found\)/);
    expect(result.stdout).toContain(`Every row reported: ${join(state, "last-run-issues.ndjson")}`);
    expect(result.stdout).not.toContain("nobody@");
  });

  it("prints the first diffs of a dry run and sends nothing", async () => {
    const from = join(temp.dir, "dry.csv");
    writeFileSync(from, "email,plan,seats\nada@example.com,enterprise,3\n");
    const before = emulator.requestCount();
    const result = await run([
      "--from",
      from,
      "--state",
      join(temp.dir, "ok"),
      "--dry-run",
      "--types",
      "seats=number",
      ...target(),
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('line 2: set plan="enterprise", seats=3');
    expect(result.stdout).toMatch(/^Dry run: nothing was written\.$/m);
    expect(emulator.requestCount()).toBe(before);
  });

  it("130 when stopped (Ctrl-C), telling how to resume", async () => {
    const controller = new AbortController();
    controller.abort();
    const stdout = collector();
    const from = join(temp.dir, "ok.csv");
    const code = await runCli(["--from", from, "--state", join(temp.dir, "stop"), ...target()], {
      stdout,
      stderr: collector(),
      env: {},
      signal: controller.signal,
    });
    expect(code).toBe(EXIT.interrupted);
    expect(stdout.text()).toContain("Stopped before the end: run the same command again to resume.");
  });

  it("2 for bad usage and for columns that collide; 3 for an unreadable source or a refused token", async () => {
    expect((await run(["--from", "x.csv"])).code).toBe(EXIT.usage);
    const dup = join(temp.dir, "dup.csv");
    writeFileSync(dup, "email,Plan,plan\nada@example.com,a,b\n");
    const columns = await run(["--from", dup, "--state", join(temp.dir, "d"), ...target()]);
    expect(columns.code).toBe(EXIT.usage);
    expect(columns.stderr).toContain('[crisp-data] Columns "Plan" and "plan" both map to the key "plan"');
    const missing = await run(["--from", join(temp.dir, "missing.csv"), "--state", join(temp.dir, "d"), ...target()]);
    expect(missing.code).toBe(EXIT.fatal);
    const from = join(temp.dir, "ok.csv");
    const before = emulator.requestCount();
    const refused = await run(["--from", from, "--state", join(temp.dir, "r"), ...target().slice(0, -1), "wrong"]);
    expect(refused.code).toBe(EXIT.fatal);
    expect(refused.stderr).toMatch(/Crisp refused the token \(401/);
    expect(acceptedWrites(emulator, before)).toBe(0);
  });
});

describe("progress display", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const progress = { rowsRead: 500, written: 400, unchanged: 90, failed: 1, invalid: 9, duplicates: 0, pending: 3 };

  it("off a terminal, prints one line every few seconds", () => {
    vi.useFakeTimers();
    const stream = collector(false);
    const view = createProgressView(stream);
    view.update({ ...progress, fraction: 0.25, elapsedMs: 2000 });
    expect(stream.text()).toBe("");
    vi.advanceTimersByTime(LINE_INTERVAL_MS);
    expect(stream.text()).toBe(
      "[crisp-data-sync] 500 rows read (25%), 400 written, 90 unchanged, 1 failed, 9 invalid, 200/s, ETA 6.0 s\n",
    );
    vi.advanceTimersByTime(LINE_INTERVAL_MS * 2);
    view.stop();
    vi.advanceTimersByTime(LINE_INTERVAL_MS * 5);
    expect(stream.text().trim().split("\n")).toHaveLength(3);
  });

  it("on a terminal, draws a bar with rows, writes, rate and ETA", () => {
    const stream = collector(true);
    const view = createProgressView(stream);
    view.update({ ...progress, fraction: 0.5, elapsedMs: 4000 });
    view.stop();
    expect(stream.text()).toMatch(
      / 50% \| 500 rows \| 400 written, 90 unchanged, 1 failed, 9 invalid \| 100\/s \| ETA 4\.0 s/,
    );
  });
});
