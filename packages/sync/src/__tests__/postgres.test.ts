import { spawn } from "node:child_process";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@crisp-data/emulator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgres } from "../../../../scripts/ensure-postgres.mjs";
import { syncContacts } from "../syncContacts";
import type { SyncContactsOptions } from "../types";
import { acceptedWrites, cliPath, contactData, createContacts, emulatorTarget, restCall, tempDir } from "./helpers";

const ROWS = 2500;
// Rows the seed makes invalid: two broken emails, and a note over 500 characters every 500 rows.
const BROKEN_EMAIL = [100, 1000];
const LONG_NOTE = [7, 507, 1007, 1507, 2007];
const INVALID = [...BROKEN_EMAIL, ...LONG_NOTE].sort((a, b) => a - b);
const VALID = Array.from({ length: ROWS }, (_, i) => i + 1).filter((i) => !INVALID.includes(i));
const QUERY =
  "select email, name, plan, plan_price, is_trialing, signup_date, last_seen, seats, coupon, notes from users order by id";
const CONCURRENCY = 4;

let postgres: PostgresServer;
let db: pg.Client;
let emulator: Emulator;
let temp: ReturnType<typeof tempDir>;
let options: SyncContactsOptions;

/** What Crisp must hold for user `i`, derived from the seed independently of the sync's own conversions. */
function expected(i: number, overrides: { plan?: string; coupon?: boolean; seatsShift?: number } = {}) {
  const data: Record<string, unknown> = {
    plan: overrides.plan ?? ["free", "pro", "team"][i % 3],
    plan_price: (i % 100) + 0.5,
    is_trialing: i % 2 === 0,
    signup_date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    last_seen: new Date(Date.UTC(2024, 5, 1, 12) + i * 3_600_000).toISOString(),
    seats: (i % 7) + (overrides.seatsShift ?? 0),
  };
  if (i % 10 === 0 && overrides.coupon !== false) data.coupon = `C${i}`;
  return data;
}

function expectCrispToHold(model: (i: number) => Record<string, unknown>) {
  const data = contactData(emulator);
  const wrong = VALID.filter((i) => JSON.stringify(data.get(`user${i}@example.com`)) !== JSON.stringify(model(i)));
  expect(wrong.slice(0, 5).map((i) => ({ i, got: data.get(`user${i}@example.com`), want: model(i) }))).toEqual([]);
}

beforeAll(async () => {
  temp = tempDir();
  [postgres, emulator] = await Promise.all([startPostgres(), startEmulator({ rateLimit: 500 })]);
  db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  await db.query(`
    create table users (
      id serial primary key, email text, name text, plan text, plan_price numeric(10, 2), is_trialing boolean,
      signup_date date, last_seen timestamptz, seats int8, coupon text, notes text
    );
    insert into users (email, name, plan, plan_price, is_trialing, signup_date, last_seen, seats, coupon, notes)
    select 'user' || i || '@example.com', 'User ' || i, (array['free', 'pro', 'team'])[1 + i % 3], (i % 100) + 0.5,
      i % 2 = 0, date '2024-01-01' + i, timestamptz '2024-06-01 12:00:00+00' + i * interval '1 hour', i % 7,
      case when i % 10 = 0 then 'C' || i end, case when i % 500 = 7 then repeat('x', 600) end
    from generate_series(1, ${ROWS}) i;
    update users set email = 'broken-' || id where id in (${BROKEN_EMAIL.join(", ")});
  `);
  options = {
    ...emulatorTarget(emulator),
    from: postgres.url,
    query: QUERY,
    nicknameColumn: "name",
    state: join(temp.dir, "state"),
    concurrency: CONCURRENCY,
  };
  // The app made one contact already, and an operator set a key on it that the sync must never touch. The others
  // do not exist yet: the sync creates them.
  await createContacts(emulator, ["user1@example.com"]);
  await restCall(emulator, "PATCH", "people/data/user1%40example.com", { data: { vip: true } });
});

afterAll(async () => {
  await db?.end();
  await emulator?.close();
  postgres?.stop();
  temp?.remove();
});

describe(`a PostgreSQL table of ${ROWS} users, against the emulator at 500 requests/s`, () => {
  it("ends with exactly the table's data, the invalid rows reported by row number", async () => {
    const before = emulator.requestCount();
    const report = await syncContacts(options);
    expect(report).toMatchObject({ rowsRead: ROWS, written: VALID.length, failed: 0, invalid: INVALID.length });
    expect(report.issues.map((issue) => issue.message)).toEqual(
      INVALID.map((i) =>
        BROKEN_EMAIL.includes(i)
          ? `row ${i}: invalid email`
          : `row ${i}: value of "notes" is longer than 500 characters`,
      ),
    );
    expectCrispToHold((i) => (i === 1 ? { vip: true, ...expected(i) } : expected(i)));
    expect(acceptedWrites(emulator, before)).toBe(VALID.length);
    // A new contact costs its creation plus its data write (the first PATCH answers 404).
    const created = emulator.requests({ since: before }).filter((r) => r.method === "POST" && r.status === 200).length;
    expect(created).toBe(VALID.length - 1);
    expect(report.requests - report.retries).toBe(VALID.length + 2 * created);
    const nicknames = new Map(emulator.contacts().map((c) => [c.email, c.nickname]));
    expect(nicknames.get("user2@example.com")).toBe("User 2");
    expect(nicknames.get("user2500@example.com")).toBe("User 2500");
  });

  it("writes nothing when nothing changed", async () => {
    const before = emulator.requestCount();
    const report = await syncContacts(options);
    expect(report).toMatchObject({ written: 0, unchanged: VALID.length, requests: 0 });
    expect(emulator.requestCount()).toBe(before);
  });

  it("writes exactly the N changed contacts, deleting only keys it wrote", async () => {
    await db.query("update users set plan = 'enterprise' where id between 201 and 225");
    await db.query("update users set coupon = null where id in (1, 10, 20, 30, 40)");
    const before = emulator.requestCount();
    const report = await syncContacts(options);
    // user1 had no coupon: 25 plan changes + 4 coupon deletions.
    expect(report).toMatchObject({ written: 29, keysDeleted: 4, unchanged: VALID.length - 29 });
    expect(acceptedWrites(emulator, before)).toBe(29);
    const model = (i: number) => {
      const data = expected(i, {
        ...(i >= 201 && i <= 225 ? { plan: "enterprise" } : {}),
        ...([10, 20, 30, 40].includes(i) ? { coupon: false } : {}),
      });
      return i === 1 ? { vip: true, ...data } : data;
    };
    expectCrispToHold(model);
  });

  it("resumes after SIGKILL mid-run and ends exact, repeating at most the writes in flight", async () => {
    await db.query("update users set seats = seats + 1");
    const cli = await cliPath();
    const before = emulator.requestCount();
    const child = spawn(
      process.execPath,
      [
        cli,
        "--from",
        postgres.url,
        "--query",
        QUERY,
        "--website-id",
        emulator.websiteId,
        "--api-url",
        `${emulator.url}/v1/`,
        "--nickname-column",
        "name",
        "--state",
        options.state as string,
        "--concurrency",
        String(CONCURRENCY),
      ],
      {
        stdio: "ignore",
        env: { ...process.env, CRISP_API_IDENTIFIER: emulator.identifier, CRISP_API_KEY: emulator.key },
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    while (acceptedWrites(emulator, before) < 600) await new Promise((done) => setTimeout(done, 10));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // Let requests the server was still answering finish.
    await new Promise((done) => setTimeout(done, 200));
    const done = acceptedWrites(emulator, before);
    expect(done).toBeLessThan(VALID.length);

    const resumedAt = emulator.requestCount();
    const report = await syncContacts(options);
    const repeated = report.written - (VALID.length - done);
    expect(repeated).toBeGreaterThanOrEqual(0);
    expect(repeated).toBeLessThanOrEqual(CONCURRENCY);
    expect(report.unchanged).toBe(VALID.length - report.written);
    expect(acceptedWrites(emulator, resumedAt)).toBe(report.written);
    const model = (i: number) => {
      const data = expected(i, {
        seatsShift: 1,
        ...(i >= 201 && i <= 225 ? { plan: "enterprise" } : {}),
        ...([10, 20, 30, 40].includes(i) ? { coupon: false } : {}),
      });
      return i === 1 ? { vip: true, ...data } : data;
    };
    expectCrispToHold(model);
    expect((await syncContacts(options)).written).toBe(0);
  });

  it("refuses two columns that normalise to the same key, naming both, with no request", async () => {
    const before = emulator.requestCount();
    await expect(
      syncContacts({ ...options, query: 'select email, plan as "Plan", plan from users' }),
    ).rejects.toMatchObject({
      kind: "columns",
      message: expect.stringContaining('Columns "Plan" and "plan" both map to the key "plan"'),
    });
    expect(emulator.requestCount()).toBe(before);
  });

  it("stops with a database error on a bad query or an unreachable server", async () => {
    await expect(syncContacts({ ...options, query: "select nope from users" })).rejects.toMatchObject({
      kind: "database",
      option: "--query",
    });
    await expect(
      syncContacts({ ...options, from: postgres.url.replace(String(postgres.port), "1") }),
    ).rejects.toMatchObject({ kind: "database", option: "--from" });
  });
});
