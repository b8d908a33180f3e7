import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planContact } from "../plan";
import { createRowMapper } from "../rowMapper";
import type { WrittenKeys } from "../state";
import { convertValue, normalizeEmail, parseTypes } from "../values";

type Data = Record<string, string | number | boolean>;

const key = fc.constantFrom("plan", "plan_price", "seats", "coupon", "is_trialing", "vip");
const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constantFrom("1", 1, "true", true));
const data = fc.dictionary(key, value, { maxKeys: 6 });

/** Crisp's contact after a write: sets merge, deletes remove. */
function apply(contact: Data, plan: ReturnType<typeof planContact>): Data {
  const next = { ...contact, ...plan.set };
  for (const k of plan.deleted) delete next[k];
  return next;
}

describe("planContact", () => {
  it("brings the contact to the row, never touching keys others set, and plans nothing for an unchanged row", () => {
    fc.assert(
      fc.property(data, data, data, (previousRow, others, row) => {
        // What the contact holds: keys of the app or operators, then what this tool wrote for the previous row.
        const foreign = Object.fromEntries(Object.entries(others).filter(([k]) => !(k in previousRow) && !(k in row)));
        const first = planContact(previousRow, undefined, undefined);
        const contact = apply(foreign, first);
        const plan = planContact(row, first.keys, undefined);
        expect(apply(contact, plan)).toEqual({ ...foreign, ...row });
        for (const k of plan.deleted) expect(k in previousRow).toBe(true);
        expect(planContact(row, plan.keys, undefined)).toEqual({ keys: plan.keys, set: {}, deleted: [] });
      }),
    );
  });

  it("sends a row whole while an earlier row of the same contact is in flight, whether that write lands or not", () => {
    fc.assert(
      fc.property(data, data, data, fc.boolean(), (committedRow, earlierRow, row, earlierLanded) => {
        const committed = planContact(committedRow, undefined, undefined);
        const earlier = planContact(earlierRow, committed.keys, undefined);
        const later = planContact(row, committed.keys as WrittenKeys, earlier.keys);
        const base = apply({}, committed);
        const crisp = apply(earlierLanded ? apply(base, earlier) : base, later);
        expect(crisp).toEqual(row);
      }),
    );
  });

  it("tells a string from a number of the same text", () => {
    const first = planContact({ seats: "1" }, undefined, undefined);
    expect(planContact({ seats: 1 }, first.keys, undefined).set).toEqual({ seats: 1 });
  });
});

describe("values", () => {
  it("leaves empty cells and NULLs absent, turns dates into ISO strings and coerces declared types", () => {
    expect(convertValue("", "number")).toEqual({ value: undefined });
    expect(convertValue(null, undefined)).toEqual({ value: undefined });
    expect(convertValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), undefined)).toEqual({
      value: "2024-01-02T03:04:05.000Z",
    });
    expect(convertValue(" 95.5 ", "number")).toEqual({ value: 95.5 });
    expect(convertValue("1e3", "number")).toEqual({ value: 1000 });
    expect(convertValue("Yes", "boolean")).toEqual({ value: true });
    expect(convertValue("0", "boolean")).toEqual({ value: false });
    expect(convertValue(12n, undefined)).toEqual({ value: 12 });
    expect(convertValue(95, "string")).toEqual({ value: "95" });
    expect(convertValue("95", undefined)).toEqual({ value: "95" });
    expect(convertValue("abc", "number")).toEqual({ error: "is not a number" });
    expect(convertValue("maybe", "boolean")).toMatchObject({ error: expect.stringContaining("not a boolean") });
    expect(convertValue(2n ** 60n, undefined)).toMatchObject({ error: expect.stringContaining("too large") });
    expect(convertValue("x".repeat(501), undefined)).toEqual({ error: "is longer than 500 characters" });
    expect(convertValue({ a: 1 }, undefined)).toEqual({ error: "is not a string, number or boolean" });
    expect(convertValue(Number.NaN, undefined)).toEqual({ error: "is not a finite number" });
  });

  it("parses --types and normalises emails", () => {
    expect(parseTypes("plan_price=number,is_trialing=boolean, name = string")).toEqual({
      plan_price: "number",
      is_trialing: "boolean",
      name: "string",
    });
    expect(() => parseTypes("plan_price")).toThrow(/--types entry "plan_price"/);
    expect(normalizeEmail("  Ada@Example.COM ")).toBe("ada@example.com");
    for (const bad of ["ada", "ada@", "@example.com", "ada@example", "a b@example.com", 42, null]) {
      expect(normalizeEmail(bad)).toBeUndefined();
    }
  });
});

describe("columns", () => {
  it("maps labels to keys and refuses collisions naming both columns", () => {
    const mapper = createRowMapper({ emailColumn: "E-mail", nicknameColumn: "Full Name" });
    expect(
      mapper.map({
        line: 2,
        cells: [
          ["E-mail", "ada@example.com"],
          ["Full Name", "Ada"],
          ["Signup Date", "2024-01-02"],
          ["Prénom", "Ada"],
        ],
      }),
    ).toEqual({
      ok: true,
      contact: {
        line: 2,
        email: "ada@example.com",
        nickname: "Ada",
        data: { signup_date: "2024-01-02", prenom: "Ada" },
      },
    });
    expect(() => mapper.checkColumns(["E-mail", "Signup Date", "signup date"], true)).toThrow(
      'Columns "Signup Date" and "signup date" both map to the key "signup_date"',
    );
    expect(() => mapper.checkColumns(["E-mail", "e-mail"], true)).toThrow(/both map to the email/);
    expect(() => mapper.checkColumns(["plan"], true)).toThrow(/No column "E-mail"/);
    expect(() => mapper.checkColumns(["E-mail", "!!!"], true)).toThrow(/Column "!!!" has no letter or digit/);
  });

  it("reports a row with more than 100 keys", () => {
    const mapper = createRowMapper({ emailColumn: "email" });
    const cells = [
      ["email", "ada@example.com"] as const,
      ...Array.from({ length: 101 }, (_, i) => [`k${i}`, "x"] as const),
    ];
    expect(mapper.map({ line: 9, cells })).toEqual({ ok: false, message: "101 keys: at most 100 per contact" });
  });
});
