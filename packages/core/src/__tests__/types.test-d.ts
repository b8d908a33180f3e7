import {
  type CrispDataInput,
  type CrispDataSnapshot,
  type CrispDataValue,
  createCrispData,
  type IsValidKey,
} from "@crisp-data/core";
import { createCrispRestClient } from "@crisp-data/core/server";
import { describe, expectTypeOf, test } from "vitest";

describe("literal keys are checked at compile time", () => {
  const client = createCrispData();

  test("valid literal keys compile", () => {
    client.set({ plan: "pro", plan_price: 95, "user-id": "u1", is_trialing: false, gone: null, maybe: undefined });
    client.source().set({ order_id: "353" });
  });

  test("uppercase, spaces and dots do not compile", () => {
    // @ts-expect-error uppercase
    client.set({ Plan: "pro" });
    // @ts-expect-error space
    client.set({ "order id": 1 });
    // @ts-expect-error dot
    client.replace({ "plan.price": 1 });
    // @ts-expect-error in a source too
    client.source().set({ "Bad Key": 1 });
  });

  test("values must be strings, numbers, booleans or a deletion", () => {
    // @ts-expect-error object value
    client.set({ plan: { name: "pro" } });
    // @ts-expect-error array value
    client.set({ seats: [1, 2] });
  });

  test("a record built at run time still compiles (checked at run time)", () => {
    const fromServer: Record<string, string> = JSON.parse("{}");
    client.set(fromServer);
    const input: CrispDataInput = {};
    client.replace(input);
  });

  test("IsValidKey", () => {
    expectTypeOf<IsValidKey<"plan_price">>().toEqualTypeOf<true>();
    expectTypeOf<IsValidKey<"Plan">>().toEqualTypeOf<false>();
    expectTypeOf<IsValidKey<"">>().toEqualTypeOf<false>();
    expectTypeOf<IsValidKey<string>>().toEqualTypeOf<true>();
  });
});

describe("a schema gives autocomplete and checks", () => {
  const client = createCrispData<{ plan: string; seats: number }>();

  test("schema keys with their types compile", () => {
    client.set({ plan: "pro" });
    client.set({ seats: 3, plan: null });
    client.unset("plan");
  });

  test("unknown keys and wrong value types do not compile", () => {
    // @ts-expect-error not in the schema
    client.set({ coupon: "x" });
    // @ts-expect-error seats is a number
    client.set({ seats: "3" });
    // @ts-expect-error not in the schema
    client.unset("coupon");
  });

  test("the snapshot's data is typed by the schema", () => {
    expectTypeOf(client.getSnapshot()).toEqualTypeOf<CrispDataSnapshot<{ plan: string; seats: number }>>();
    expectTypeOf(client.getSnapshot().data.seats).toEqualTypeOf<number | undefined>();
    expectTypeOf(createCrispData().getSnapshot().data.anything).toEqualTypeOf<CrispDataValue | undefined>();
  });
});

describe("the server client checks keys at compile time too", () => {
  const crisp = createCrispRestClient({ identifier: "id", key: "key" });

  test("valid keys and deletions compile", () => {
    crisp.setContactData("w", "ada@example.com", { plan: "pro", plan_price: 95, trial_ends: null });
    crisp.setSessionData("w", "s", { order_id: 353 });
    crisp.replaceContactData("w", "p", {});
    const fromServer: Record<string, string> = {};
    crisp.setContactData("w", "p", fromServer);
  });

  test("invalid keys do not compile", () => {
    // @ts-expect-error space and uppercase
    crisp.setContactData("w", "p", { "Bad Key": 1 });
    // @ts-expect-error uppercase
    crisp.setSessionData("w", "s", { Plan: "pro" });
    // @ts-expect-error dot
    crisp.replaceContactData("w", "p", { "plan.price": 1 });
  });
});
