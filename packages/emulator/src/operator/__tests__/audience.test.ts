import type { CrispDataValue } from "@crisp-data/core";
import { describe, expect, it } from "vitest";
import { type AudienceSubject, asNumber, matchesAll, parseAudience } from "../audience";

const subject = (data: Record<string, CrispDataValue>, rest: Partial<AudienceSubject> = {}): AudienceSubject => ({
  email: "ada@example.com",
  nickname: "Ada",
  country: "FR",
  data,
  ...rest,
});

/** Parses `query` (which must be valid) and evaluates it against `who`. */
function check(query: string, who: AudienceSubject): boolean {
  const { conditions, errors } = parseAudience(query);
  expect(errors).toEqual([]);
  return matchesAll(who, conditions);
}

describe("parseAudience", () => {
  it("reads one condition per line, ignoring blank lines and spaces", () => {
    const { conditions, errors } = parseAudience("  plan_price>50\n\n   country = FR  \r\nplan contains pro");
    expect(errors).toEqual([]);
    expect(conditions.map(({ field, operator, value }) => ({ field, operator, value }))).toEqual([
      { field: { kind: "data", key: "plan_price" }, operator: ">", value: "50" },
      { field: { kind: "builtin", name: "country" }, operator: "=", value: "FR" },
      { field: { kind: "data", key: "plan" }, operator: "contains", value: "pro" },
    ]);
  });

  it("splits on AND (any case) and &&, but not inside quotes or words", () => {
    const { conditions } = parseAudience(
      'plan_price > 50 AND country = FR and is_trialing = true && company = "Smith AND Sons"',
    );
    expect(conditions.map((condition) => condition.value)).toEqual(["50", "FR", "true", "Smith AND Sons"]);
    expect(parseAudience("brand = Band").conditions.map((condition) => condition.value)).toEqual(["Band"]);
  });

  it("knows every operator, == as =, and contains in any case", () => {
    const operators = parseAudience("a = 1\na == 1\na != 1\na > 1\na < 1\na >= 1\na <= 1\na CONTAINS 1").conditions.map(
      (condition) => condition.operator,
    );
    expect(operators).toEqual(["=", "=", "!=", ">", "<", ">=", "<=", "contains"]);
  });

  it("reads data.<key> as custom data, built-ins in any case, and data.country as a custom key", () => {
    const fields = parseAudience(
      "data.plan = pro\nCountry = FR\nemail contains @\nnickname = Ada\ndata.country = x",
    ).conditions.map((condition) => condition.field);
    expect(fields).toEqual([
      { kind: "data", key: "plan" },
      { kind: "builtin", name: "country" },
      { kind: "builtin", name: "email" },
      { kind: "builtin", name: "nickname" },
      { kind: "data", key: "country" },
    ]);
  });

  it("strips one pair of matching quotes and keeps what is inside", () => {
    const values = parseAudience(`a = " spaced "\na = 'single'\na = "unbalanced'\na = ""`).conditions.map(
      (condition) => condition.value,
    );
    expect(values).toEqual([" spaced ", "single", `"unbalanced'`, ""]);
  });

  it("reports unreadable conditions instead of guessing", () => {
    const { conditions, errors } = parseAudience("plan_price\nplan ~ pro\nplan =\n= pro\ndata. = x\nplan containspro");
    expect(conditions).toEqual([]);
    expect(errors).toHaveLength(6);
    expect(errors[0]).toContain("plan_price");
    expect(errors[1]).toContain("unknown operator");
    expect(errors[2]).toContain("missing a value");
  });

  it("returns no condition for an empty query (everyone)", () => {
    expect(parseAudience("  \n ")).toEqual({ conditions: [], errors: [] });
    expect(matchesAll(subject({}), [])).toBe(true);
  });
});

describe("numbers", () => {
  it("compares numerically when both sides are numeric, stored as numbers or numeric strings", () => {
    expect(check("plan_price > 50", subject({ plan_price: 79 }))).toBe(true);
    expect(check("plan_price > 50", subject({ plan_price: "79" }))).toBe(true);
    expect(check("plan_price > 50", subject({ plan_price: 50 }))).toBe(false);
    expect(check("plan_price >= 50", subject({ plan_price: 50 }))).toBe(true);
    expect(check("plan_price < 50", subject({ plan_price: 9.99 }))).toBe(true);
    expect(check("plan_price <= 9.99", subject({ plan_price: "9.99" }))).toBe(true);
    // String order would say "100" < "50": numeric order must win.
    expect(check("plan_price > 50", subject({ plan_price: "100" }))).toBe(true);
    expect(check("balance < 0", subject({ balance: -1.5 }))).toBe(true);
    expect(check("views > 1e3", subject({ views: 2000 }))).toBe(true);
  });

  it("treats = and != numerically too", () => {
    expect(check("plan_price = 50", subject({ plan_price: "50.0" }))).toBe(true);
    expect(check("plan_price = 50.0", subject({ plan_price: 50 }))).toBe(true);
    expect(check("plan_price != 50", subject({ plan_price: 50 }))).toBe(false);
    expect(check("plan_price != 50", subject({ plan_price: 51 }))).toBe(true);
  });

  it("never orders non-numeric values", () => {
    expect(check("plan > 5", subject({ plan: "pro" }))).toBe(false);
    expect(check("plan < 5", subject({ plan: "pro" }))).toBe(false);
    expect(check("plan_price > abc", subject({ plan_price: 79 }))).toBe(false);
    expect(check("flag > 0", subject({ flag: true }))).toBe(false);
    expect(check("code >= 0", subject({ code: "0x10" }))).toBe(false);
  });

  it("asNumber accepts plain decimal literals only", () => {
    expect([79, "79", " 79 ", "-1.5", "+2", ".5", "5.", "2e3", "1E-2"].map(asNumber)).toEqual([
      79, 79, 79, -1.5, 2, 0.5, 5, 2000, 0.01,
    ]);
    for (const value of ["", " ", "0x10", "Infinity", "NaN", "1_000", "1,5", "12abc", true, false, Number.NaN]) {
      expect(asNumber(value)).toBeUndefined();
    }
  });
});

describe("booleans", () => {
  it("match true/false in any case and nothing else", () => {
    expect(check("is_trialing = true", subject({ is_trialing: true }))).toBe(true);
    expect(check("is_trialing = TRUE", subject({ is_trialing: true }))).toBe(true);
    expect(check("is_trialing = true", subject({ is_trialing: false }))).toBe(false);
    expect(check("is_trialing = false", subject({ is_trialing: false }))).toBe(true);
    expect(check("is_trialing != true", subject({ is_trialing: false }))).toBe(true);
    expect(check("is_trialing = 1", subject({ is_trialing: true }))).toBe(false);
    expect(check("is_trialing = yes", subject({ is_trialing: true }))).toBe(false);
  });

  it("a string 'true' matches = true as text", () => {
    expect(check("is_trialing = true", subject({ is_trialing: "true" }))).toBe(true);
  });
});

describe("strings", () => {
  it("= and != ignore case", () => {
    expect(check("plan = pro", subject({ plan: "pro" }))).toBe(true);
    expect(check("plan = pro", subject({ plan: "Pro" }))).toBe(true);
    expect(check("plan = pro", subject({ plan: "professional" }))).toBe(false);
    expect(check("plan != pro", subject({ plan: "basic" }))).toBe(true);
    expect(check("plan != pro", subject({ plan: "PRO" }))).toBe(false);
  });

  it("compares whole values, spaces included (quote to write outer spaces)", () => {
    expect(check('plan = "pro "', subject({ plan: "pro " }))).toBe(true);
    expect(check("plan = pro", subject({ plan: "pro " }))).toBe(false);
  });

  it("contains ignores case and works on the text form of numbers and booleans", () => {
    expect(check("plan contains PRO", subject({ plan: "Enterprise Pro" }))).toBe(true);
    expect(check("plan contains gold", subject({ plan: "pro" }))).toBe(false);
    expect(check("plan_price contains 9", subject({ plan_price: 79 }))).toBe(true);
    expect(check("is_trialing contains ru", subject({ is_trialing: true }))).toBe(true);
  });

  it("takes an XSS probe as a plain value", () => {
    expect(check("note = <img src=x onerror=alert(1)>", subject({ note: "<img src=x onerror=alert(1)>" }))).toBe(true);
  });
});

describe("missing values", () => {
  it("match only !=", () => {
    const nobody = subject({});
    for (const query of ["plan = pro", "plan > 1", "plan < 1", "plan >= 1", "plan <= 1", "plan contains p"]) {
      expect(check(query, nobody)).toBe(false);
    }
    expect(check("plan != pro", nobody)).toBe(true);
    expect(check("country = FR", subject({}, { country: null }))).toBe(false);
    expect(check("country != FR", subject({}, { country: null }))).toBe(true);
  });

  it("do not read inherited properties", () => {
    expect(check("constructor contains function", subject({}))).toBe(false);
    expect(check("toString != x", subject({}))).toBe(true);
  });
});

describe("built-in fields combined with custom data (AND)", () => {
  const people = [
    subject({ plan_price: 79, plan: "pro" }, { email: "ada@example.com", country: "FR" }),
    subject({ plan_price: 79, plan: "pro" }, { email: "bob@example.com", country: "GB" }),
    subject({ plan_price: 19, plan: "basic" }, { email: "cy@example.com", country: "FR" }),
  ];
  const audience = (query: string) => {
    const { conditions } = parseAudience(query);
    return people.filter((person) => matchesAll(person, conditions)).map((person) => person.email);
  };

  it("country = FR AND plan_price > 50 keeps only contacts meeting both", () => {
    expect(audience("plan_price > 50\ncountry = FR")).toEqual(["ada@example.com"]);
    expect(audience("country = fr AND plan = basic")).toEqual(["cy@example.com"]);
    expect(audience("country != FR")).toEqual(["bob@example.com"]);
    expect(audience("email contains example.com")).toHaveLength(3);
    expect(audience("")).toHaveLength(3);
  });
});
