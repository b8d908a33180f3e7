import { CrispDataError, MAX_KEYS, MAX_VALUE_LENGTH, validateInput, validateInputStrict } from "@crisp-data/core";
import { describe, expect, test } from "vitest";

describe("values", () => {
  test("strings, finite numbers and booleans pass; null, undefined and empty string mean delete", () => {
    const { entries, issues } = validateInput({ a: "x", b: 1.5, c: false, d: null, e: undefined, f: "" });
    expect(issues).toEqual([]);
    expect([...entries]).toEqual([
      ["a", "x"],
      ["b", 1.5],
      ["c", false],
      ["d", ""],
      ["e", ""],
      ["f", ""],
    ]);
  });

  test.each([
    ["an object", { x: 1 }],
    ["an array", [1]],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a bigint", 1n],
    ["a function", () => 1],
    ["a date", new Date(0)],
    ["a symbol", Symbol("x")],
    ["a string over the cap", "x".repeat(MAX_VALUE_LENGTH + 1)],
  ])("%s is invalid_value", (_, value) => {
    expect(validateInput({ ok: 1, bad: value }).issues).toEqual([{ key: "bad", code: "invalid_value" }]);
  });

  test("a string of exactly the cap passes", () => {
    expect(validateInput({ a: "x".repeat(MAX_VALUE_LENGTH) }).issues).toEqual([]);
  });
});

describe("keys and counts", () => {
  test("every bad key is listed, the valid ones are kept", () => {
    const { entries, issues } = validateInput({ Plan: "pro", seats: 3, "order id": 1, note: {} });
    expect([...entries.keys()]).toEqual(["seats"]);
    expect(issues).toEqual([
      { key: "Plan", code: "invalid_key" },
      { key: "order id", code: "invalid_key" },
      { key: "note", code: "invalid_value" },
    ]);
  });

  test("keys beyond the cap are too_many_keys", () => {
    const input = Object.fromEntries(Array.from({ length: MAX_KEYS + 2 }, (_, i) => [`k${i}`, i]));
    const { entries, issues } = validateInput(input);
    expect(entries.size).toBe(MAX_KEYS);
    expect(issues).toEqual([
      { key: `k${MAX_KEYS}`, code: "too_many_keys" },
      { key: `k${MAX_KEYS + 1}`, code: "too_many_keys" },
    ]);
  });

  test("a non-object input is one invalid_input issue", () => {
    expect(validateInput("plan" as unknown).issues).toEqual([{ key: "", code: "invalid_input" }]);
    expect(validateInput([["a", 1]] as unknown).issues).toEqual([{ key: "", code: "invalid_input" }]);
  });
});

describe("CrispDataError", () => {
  test("strict validation throws one error naming the first key and every issue, with a fix", () => {
    let error: unknown;
    try {
      validateInputStrict({ Plan: "pro", price: Number.NaN });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toBeInstanceOf(Error);
    const e = error as CrispDataError;
    expect(e.name).toBe("CrispDataError");
    expect(e.code).toBe("invalid_key");
    expect(e.key).toBe("Plan");
    expect(e.issues).toEqual([
      { key: "Plan", code: "invalid_key" },
      { key: "price", code: "invalid_value" },
    ]);
    expect(e.message).toMatch(/^\[crisp-data\] /);
    expect(e.message).toContain('"Plan"');
    expect(e.message).toContain("normalizeKey");
  });
});
