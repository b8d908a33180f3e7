import { CrispDataError, isValidKey, normalizeKey } from "@crisp-data/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";

describe("isValidKey", () => {
  test.each(["plan", "order_id", "user-id", "a", "0", "x".repeat(50), "_", "-"])("accepts %j", (key) => {
    expect(isValidKey(key)).toBe(true);
  });
  test.each(["", "Plan", "order id", "plan.price", "prénom", "x".repeat(51), "a\n", "emoji😀"])("rejects %j", (key) => {
    expect(isValidKey(key)).toBe(false);
  });
  test("is true exactly for ^[a-z0-9_-]{1,50}$", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60, unit: fc.constantFrom("a", "Z", "0", "_", "-", " ", ".", "é") }),
        (key) => {
          expect(isValidKey(key)).toBe(/^[a-z0-9_-]{1,50}$/.test(key));
        },
      ),
    );
  });
});

describe("normalizeKey", () => {
  test.each([
    ["Order ID", "order_id"],
    ["Prénom", "prenom"],
    ["plan.price", "plan_price"],
    ["user-id", "user-id"],
    ["  Plan  Price!! ", "plan_price"],
    ["__already__", "already"],
    ["Ünïcödé Straße", "unicode_stra_e"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeKey(input)).toBe(expected);
  });

  test("cuts to 50 then trims, so a cut never leaves a trailing _", () => {
    expect(normalizeKey(`${"a".repeat(49)} b`)).toBe("a".repeat(49));
  });

  test("throws invalid_key naming the input when nothing is left", () => {
    const error = (() => {
      try {
        normalizeKey("!!!");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error).toMatchObject({ code: "invalid_key", key: "!!!", issues: [{ key: "!!!", code: "invalid_key" }] });
  });

  test("always returns a valid key and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        let key: string;
        try {
          key = normalizeKey(input);
        } catch (error) {
          expect(error).toBeInstanceOf(CrispDataError);
          return;
        }
        expect(isValidKey(key)).toBe(true);
        expect(normalizeKey(key)).toBe(key);
      }),
    );
  });
});
