import { createCrispData } from "@crisp-data/core";
import { expectTypeOf, test } from "vitest";
import { type UseCrispDataResult, useCrispData } from "../index";

test("literal keys are checked at compile time", () => {
  const check = () => {
    expectTypeOf(useCrispData({ plan: "pro", seats: 3, trial: true, gone: null })).toEqualTypeOf<UseCrispDataResult>();
    useCrispData(null);
    useCrispData(undefined, { user: null });
    // @ts-expect-error uppercase and spaces are not valid Crisp keys
    useCrispData({ "Plan Name": "pro" });
    // @ts-expect-error values are strings, numbers or booleans
    useCrispData({ plan: { nested: true } });
    const dynamic: Record<string, string> = {};
    useCrispData(dynamic);
  };
  expectTypeOf(check).toBeFunction();
});

test("a typed client restricts the keys", () => {
  const check = () => {
    const client = createCrispData<{ plan: string; seats: number }>();
    useCrispData({ plan: "pro" }, { client });
    // @ts-expect-error not in the client's schema
    useCrispData({ other: 1 }, { client });
    // @ts-expect-error wrong value type for the schema
    useCrispData({ seats: "3" }, { client });
  };
  expectTypeOf(check).toBeFunction();
});
