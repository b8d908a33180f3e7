import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrispSyncError } from "../errors";
import { syncContacts } from "../syncContacts";
import type { SyncProgress } from "../types";
import { acceptedWrites, contactData, createContacts, emulatorTarget, restCall, tempDir } from "./helpers";

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

const file = (name: string, text: string) => {
  const path = join(temp.dir, name);
  writeFileSync(path, text);
  return path;
};

describe("a CSV file", () => {
  const csv = [
    "email,Name,Plan,Plan Price,Is Trialing,Signup Date,coupon",
    "ada@example.com,Ada,pro,95,false,2024-01-02,WELCOME",
    "Grace@Example.com ,Grace,team,,yes,,",
    "not-an-email,X,pro,1,true,,",
    "alan@example.com,Alan,free,abc,false,,",
    '"edsger@example.com","Edsger ""EWD"" D.","multi',
    'line",10,0,,',
    "ada@example.com,Ada,enterprise,450,false,2024-01-02,WELCOME",
  ].join("\n");

  it("writes typed values, skips invalid rows by line, and lets a repeated email's later row win", async () => {
    const from = file("users.csv", csv);
    const state = join(temp.dir, "csv-state");
    const reportFile = join(temp.dir, "csv-report.ndjson");
    const before = emulator.requestCount();
    const report = await syncContacts({
      ...emulatorTarget(emulator),
      from,
      state,
      reportFile,
      nicknameColumn: "Name",
      types: { plan_price: "number", "Is Trialing": "boolean" },
    });
    const data = contactData(emulator);
    expect(data.get("ada@example.com")).toEqual({
      plan: "enterprise",
      plan_price: 450,
      is_trialing: false,
      signup_date: "2024-01-02",
      coupon: "WELCOME",
    });
    // Empty cells are absent keys; the email is trimmed and lowercased.
    expect(data.get("grace@example.com")).toEqual({ plan: "team", is_trialing: true });
    expect(data.get("edsger@example.com")).toEqual({ plan: "multi\nline", plan_price: 10, is_trialing: false });
    // Contacts that did not exist are created, named from the nickname column; a skipped row creates nothing.
    expect(data.has("alan@example.com")).toBe(false);
    const nicknames = new Map(emulator.contacts().map((c) => [c.email, c.nickname]));
    expect(nicknames.get("ada@example.com")).toBe("Ada");
    expect(nicknames.get("edsger@example.com")).toBe('Edsger "EWD" D.');
    expect(report).toMatchObject({ rowsRead: 6, written: 4, invalid: 2, duplicates: 1, failed: 0, unchanged: 0 });
    expect(report.issues).toEqual([
      { kind: "invalid_row", line: 4, key: "email", message: "line 4: invalid email" },
      { kind: "invalid_row", line: 5, key: "plan_price", message: 'line 5: value of "plan_price" is not a number' },
      { kind: "duplicate", line: 8, message: "line 8 repeats the email of line 2: the later row wins" },
    ]);
    const lines = readFileSync(reportFile, "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).line)).toEqual([4, 5, 8]);
    // No email in anything reported.
    expect(readFileSync(reportFile, "utf8")).not.toMatch(/@/);
    expect(acceptedWrites(emulator, before)).toBe(4);
  });

  it("re-runs a file with repeated emails with no write, and writes the earlier row once its twin is gone", async () => {
    const state = join(temp.dir, "twins-state");
    const rows = (...lines: string[]) => `email,plan,seats\n${lines.join("\n")}\n`;
    const from = file("twins.csv", rows("t1@example.com,free,1", "t2@example.com,pro,2", "t1@example.com,team,3"));
    const target = { ...emulatorTarget(emulator), from, state, types: { seats: "number" as const } };
    expect(await syncContacts(target)).toMatchObject({ duplicates: 1, failed: 0 });
    expect(contactData(emulator).get("t1@example.com")).toEqual({ plan: "team", seats: 3 });

    let before = emulator.requestCount();
    expect(await syncContacts(target)).toMatchObject({ written: 0, unchanged: 3, duplicates: 1 });
    expect(emulator.requestCount()).toBe(before);

    // The later row changes: only it is written.
    file("twins.csv", rows("t1@example.com,free,1", "t2@example.com,pro,2", "t1@example.com,team,4"));
    before = emulator.requestCount();
    expect(await syncContacts(target)).toMatchObject({ written: 1, unchanged: 2 });
    expect(acceptedWrites(emulator, before)).toBe(1);
    expect(contactData(emulator).get("t1@example.com")).toEqual({ plan: "team", seats: 4 });

    // The later row is gone: the earlier one, held back while reading, is the last word and gets written.
    file("twins.csv", rows("t1@example.com,free,1", "t2@example.com,pro,2"));
    expect(await syncContacts(target)).toMatchObject({ written: 1, unchanged: 1, duplicates: 0 });
    expect(contactData(emulator).get("t1@example.com")).toEqual({ plan: "free", seats: 1 });
    expect(await syncContacts(target)).toMatchObject({ written: 0, unchanged: 2 });
  });

  it("refuses two columns that normalise to the same key, naming both, before any write", async () => {
    const from = file("dup.csv", "email,Signup Date,signup_date\nada@example.com,1,2\n");
    const before = emulator.requestCount();
    const error = await syncContacts({ ...emulatorTarget(emulator), from, state: join(temp.dir, "dup") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CrispSyncError);
    expect(error).toMatchObject({ kind: "columns", option: "signup_date" });
    expect((error as Error).message).toContain(
      'Columns "Signup Date" and "signup_date" both map to the key "signup_date"',
    );
    expect(emulator.requestCount()).toBe(before);
  });

  it("reports a row with the wrong number of fields and an unreadable file", async () => {
    const from = file("ragged.csv", "email,plan\nbarbara@example.com,pro,extra\n");
    const report = await syncContacts({ ...emulatorTarget(emulator), from, state: join(temp.dir, "ragged") });
    expect(report.issues).toEqual([
      { kind: "invalid_row", line: 2, message: "line 2 has 3 fields where the header has 2" },
    ]);
    await expect(
      syncContacts({ ...emulatorTarget(emulator), from: join(temp.dir, "missing.csv"), state: join(temp.dir, "x") }),
    ).rejects.toMatchObject({ kind: "source" });
    const broken = file("broken.csv", 'email,plan\nada@example.com,"pro\n');
    await expect(
      syncContacts({ ...emulatorTarget(emulator), from: broken, state: join(temp.dir, "x") }),
    ).rejects.toMatchObject({ kind: "source", message: expect.stringMatching(/CSV_QUOTE_NOT_CLOSED/) });
  });
});

describe("an NDJSON file", () => {
  it("keeps JSON types, treats null as absent, and deletes only the keys this tool wrote", async () => {
    const state = join(temp.dir, "ndjson-state");
    // The app made this contact, and an operator set a key of their own, before the sync.
    await createContacts(emulator, ["barbara@example.com"]);
    await restCall(emulator, "PATCH", "people/data/barbara%40example.com", { data: { vip: true } });
    const first = file(
      "a.ndjson",
      [
        '{"email":"barbara@example.com","Plan":"pro","seats":5,"trial":true,"coupon":"X1"}',
        "",
        '{"email":"barbara@example.com","nested":{"a":1}}',
        "not json",
      ].join("\n"),
    );
    const report = await syncContacts({ ...emulatorTarget(emulator), from: first, state });
    expect(report.issues.map((i) => [i.line, i.message])).toEqual([
      [3, 'line 3: value of "nested" is not a string, number or boolean'],
      [4, "line 4 is not valid JSON"],
    ]);
    expect(contactData(emulator).get("barbara@example.com")).toEqual({
      vip: true,
      plan: "pro",
      seats: 5,
      trial: true,
      coupon: "X1",
    });

    const second = file(
      "b.ndjson",
      '{"email":"barbara@example.com","plan":"pro","seats":6,"trial":true,"coupon":null}\n',
    );
    const before = emulator.requestCount();
    const again = await syncContacts({ ...emulatorTarget(emulator), from: second, state });
    expect(again).toMatchObject({ written: 1, keysSet: 1, keysDeleted: 1 });
    expect(again.diffs).toEqual([{ line: 1, set: { seats: 6 }, deleted: ["coupon"], isNew: false }]);
    expect(contactData(emulator).get("barbara@example.com")).toEqual({ vip: true, plan: "pro", seats: 6, trial: true });
    expect(acceptedWrites(emulator, before)).toBe(1);
  });
});

describe("runs", () => {
  it("a dry run reports the diffs and writes nothing, not even the state", async () => {
    const from = file("dry.csv", "email,plan\nada@example.com,starter\ngrace@example.com,team\n");
    const state = join(temp.dir, "dry-state");
    const before = emulator.requestCount();
    const report = await syncContacts({
      websiteId: emulator.websiteId,
      apiUrl: `${emulator.url}/v1/`,
      from,
      state,
      dryRun: true,
    });
    expect(report).toMatchObject({ dryRun: true, written: 2, stateFile: undefined, requests: 0 });
    expect(report.diffs).toEqual([
      { line: 2, set: { plan: "starter" }, deleted: [], isNew: true },
      { line: 3, set: { plan: "team" }, deleted: [], isNew: true },
    ]);
    expect(emulator.requestCount()).toBe(before);
    expect(contactData(emulator).get("ada@example.com")?.plan).toBe("enterprise");
    expect(existsSync(state)).toBe(false);
  });

  it("stops after --max-rows, and reports how much of the file it read", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `row${i}@example.com,${"x".repeat(i)}`);
    const from = file("fifty.csv", `email,pad\n${rows.join("\n")}\n`);
    const fractions: number[] = [];
    const state = join(temp.dir, "fifty-state");
    const report = await syncContacts({
      websiteId: emulator.websiteId,
      from,
      state,
      dryRun: true,
      onProgress: (p) => fractions.push(p.fraction ?? -1),
    });
    expect(report.rowsRead).toBe(50);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (fractions[i - 1] ?? 0)))).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions[24]).toBeLessThan(0.5);
    const limited = await syncContacts({ websiteId: emulator.websiteId, from, state, dryRun: true, maxRows: 7 });
    // Row 0's only value is empty: nothing to write.
    expect(limited).toMatchObject({ rowsRead: 7, written: 6, unchanged: 1 });
  });

  it("keeps the state per API URL and website: another URL starts from nothing", async () => {
    const from = file("scope.csv", "email,plan\nada@example.com,enterprise\n");
    const state = join(temp.dir, "scope-state");
    const target = emulatorTarget(emulator);
    expect((await syncContacts({ ...target, from, state })).written).toBe(1);
    expect((await syncContacts({ ...target, from, state })).unchanged).toBe(1);
    const other = await syncContacts({
      ...target,
      apiUrl: `http://localhost:${emulator.port}/v1/`,
      from,
      state,
      dryRun: true,
    });
    expect(other).toMatchObject({ written: 1, unchanged: 0 });
    const otherSite = await syncContacts({ ...target, websiteId: "another-site", from, state, dryRun: true });
    expect(otherSite).toMatchObject({ written: 1, unchanged: 0 });
  });

  it("goes on when onProgress throws, and stops reading when the signal aborts", async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${["ada", "grace", "alan", "edsger", "barbara"][i % 5]}@example.com,p${i}`,
    );
    const from = file("many.csv", `email,step\n${rows.join("\n")}\n`);
    const controller = new AbortController();
    const seen: SyncProgress[] = [];
    const report = await syncContacts({
      ...emulatorTarget(emulator),
      from,
      state: join(temp.dir, "abort-state"),
      signal: controller.signal,
      onProgress(progress) {
        seen.push(progress);
        if (progress.rowsRead === 10) controller.abort();
        throw new Error("display broke");
      },
    });
    expect(report.aborted).toBe(true);
    expect(report.rowsRead).toBe(10);
    expect(report.written + report.failed).toBe(10);
    expect(seen.length).toBeGreaterThan(10);
  });

  it("reports every write Crisp refuses, by line, and goes on", async () => {
    const from = file("refused.csv", "email,plan\nada@example.com,x\n\ngrace@example.com,y\n");
    const report = await syncContacts({
      ...emulatorTarget(emulator),
      websiteId: "no-such-website",
      from,
      state: join(temp.dir, "refused"),
    });
    expect(report).toMatchObject({ rowsRead: 2, written: 0, failed: 2 });
    expect(report.issues).toEqual([
      { kind: "write_failed", line: 2, message: "line 2: Crisp answered 404 (not_found)" },
      { kind: "write_failed", line: 4, message: "line 4: Crisp answered 404 (not_found)" },
    ]);
    // Nothing was recorded: the next run tries again.
    expect(
      (
        await syncContacts({
          ...emulatorTarget(emulator),
          websiteId: "no-such-website",
          from,
          state: join(temp.dir, "refused"),
          dryRun: true,
        })
      ).written,
    ).toBe(2);
  });

  it("stops with a state error when the state store cannot be written, and the next run repeats those writes", async () => {
    const state = join(temp.dir, "locked-state");
    const target = { ...emulatorTarget(emulator), state };
    await syncContacts({ ...target, from: file("lock.csv", "email,plan\nada@example.com,locked-1\n") });
    // Another process holds the store's write lock past better-sqlite3's 5 s busy timeout.
    const holder = new Database(join(state, "state.sqlite"));
    holder.exec("BEGIN EXCLUSIVE");
    const from = file("lock.csv", "email,plan\nada@example.com,locked-2\ngrace@example.com,locked-2\n");
    try {
      await expect(syncContacts({ ...target, from, concurrency: 1 })).rejects.toMatchObject({ kind: "state" });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    // Crisp got the first write, but it was not recorded: it is written again, nothing is skipped.
    const report = await syncContacts({ ...target, from });
    expect(report).toMatchObject({ written: 2, failed: 0 });
    expect(contactData(emulator).get("grace@example.com")?.plan).toBe("locked-2");
    expect((await syncContacts({ ...target, from })).written).toBe(0);
  });

  it("refuses bad options naming the option, before reading anything", async () => {
    const from = file("opts.csv", "email,plan\nada@example.com,x\n");
    const target = emulatorTarget(emulator);
    const cases: Array<[Partial<Parameters<typeof syncContacts>[0]>, string]> = [
      [{ from: "" }, "from"],
      [{ websiteId: " " }, "websiteId"],
      [{ apiUrl: "ftp://example.com" }, "apiUrl"],
      [{ concurrency: 0 }, "concurrency"],
      [{ concurrency: 5000 }, "concurrency"],
      [{ maxRows: 1.5 }, "maxRows"],
      [{ from: join(temp.dir, "users.xlsx") }, "--from"],
      [{ query: "select 1" }, "--query"],
      [{ from: "postgres://127.0.0.1:1/x" }, "--query"],
    ];
    for (const [override, option] of cases) {
      await expect(syncContacts({ ...target, from, state: join(temp.dir, "o"), ...override })).rejects.toMatchObject({
        kind: "usage",
        option,
      });
    }
    const saved = { id: process.env.CRISP_API_IDENTIFIER, key: process.env.CRISP_API_KEY };
    delete process.env.CRISP_API_IDENTIFIER;
    delete process.env.CRISP_API_KEY;
    try {
      await expect(
        syncContacts({ websiteId: target.websiteId, apiUrl: target.apiUrl, from, state: join(temp.dir, "o") }),
      ).rejects.toMatchObject({ kind: "usage", option: "identifier" });
    } finally {
      if (saved.id !== undefined) process.env.CRISP_API_IDENTIFIER = saved.id;
      if (saved.key !== undefined) process.env.CRISP_API_KEY = saved.key;
    }
  });

  it("stops with a credentials error when Crisp refuses the token", async () => {
    const from = file("creds.csv", "email,plan\nada@example.com,x\ngrace@example.com,y\n");
    await expect(
      syncContacts({ ...emulatorTarget(emulator), key: "wrong", from, state: join(temp.dir, "creds") }),
    ).rejects.toMatchObject({ kind: "credentials", name: "CrispSyncError" });
  });
});

describe("a flaky API (429, 500, 503 and connection resets on 10% of requests)", () => {
  it("reports what failed for good, and the next runs write exactly those until Crisp holds every row", async () => {
    const flaky = await startEmulator({
      rateLimit: 300,
      faults: { rate: 0.1, seed: 7, kinds: ["429", "500", "503", "reset"] },
    });
    try {
      const rows = Array.from({ length: 150 }, (_, i) => `flaky${i}@example.com,${i}`);
      const from = file("flaky.csv", `email,n\n${rows.join("\n")}\n`);
      const target = {
        ...emulatorTarget(flaky),
        from,
        state: join(temp.dir, "flaky"),
        types: { n: "number" as const },
      };
      let report = await syncContacts(target);
      expect(report.written + report.failed).toBe(150);
      for (let run = 0; run < 3 && report.failed > 0; run++) {
        const failedBefore = report.failed;
        report = await syncContacts(target);
        expect(report.written + report.failed).toBe(failedBefore);
      }
      expect(report.failed).toBe(0);
      const data = contactData(flaky);
      expect(rows.filter((_, i) => data.get(`flaky${i}@example.com`)?.n !== i)).toEqual([]);
      expect((await syncContacts(target)).written).toBe(0);
    } finally {
      await flaky.close();
    }
  });
});
