import { createCrispData, memoryTransport, type StorageLike } from "@crisp-data/core";
import { describe, expect, test } from "vitest";
import { memoryStorage, nextTurn } from "./helpers";

/** One page load: a new client and transport over the same browser storage. */
function page(storage: StorageLike | false) {
  const transport = memoryTransport();
  const client = createCrispData({ transport, persist: storage });
  return { transport, client };
}

describe("reloads", () => {
  test("the same user after a reload keeps the conversation: no reset", async () => {
    const storage = memoryStorage();
    const first = page(storage);
    first.client.identify({ id: "u1", email: "a@example.com" });
    first.client.set({ plan: "pro" });
    await nextTurn();
    const second = page(storage);
    second.client.identify({ id: "u1", email: "a@example.com" });
    second.client.set({ plan: "pro" });
    await nextTurn();
    expect(second.transport.commands.some((command) => command[1] === "session:reset")).toBe(false);
  });

  test("a different user after a reload resets before anything else", async () => {
    const storage = memoryStorage();
    const first = page(storage);
    first.client.identify({ id: "u1" });
    first.client.set({ plan: "pro" });
    await nextTurn();
    const second = page(storage);
    second.client.identify({ id: "u2", email: "b@example.com" });
    second.client.set({ plan: "free" });
    await nextTurn();
    expect(second.transport.commands).toEqual([
      ["do", "session:reset"],
      ["set", "user:email", ["b@example.com"]],
      ["set", "session:data", [[["plan", "free"]]]],
    ]);
  });

  test("signed out in another tab: the next page's identify(null) resets", async () => {
    const storage = memoryStorage();
    const first = page(storage);
    first.client.identify({ id: "u1" });
    await nextTurn();
    const second = page(storage);
    second.client.identify(null);
    await nextTurn();
    expect(second.transport.commands).toEqual([["do", "session:reset"]]);
  });

  test("keys sent before the reload that nobody sets in the first batch are deleted", async () => {
    const storage = memoryStorage();
    const first = page(storage);
    first.client.identify({ id: "u1" });
    first.client.set({ plan: "pro", coupon: "XMAS", seats: 2 });
    await nextTurn();
    const second = page(storage);
    second.client.identify({ id: "u1" });
    second.client.source().set({ plan: "pro", seats: 3 });
    await nextTurn();
    expect(second.transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["coupon", ""],
        ["seats", 3],
      ],
    ]);
    const third = page(storage);
    third.client.identify({ id: "u1" });
    third.client.set({ plan: "pro", seats: 3 });
    await nextTurn();
    expect(third.transport.dataPushes()[0]).not.toContainEqual(["coupon", ""]);
  });

  test("a page that only identifies does not wipe the data before anyone contributes", async () => {
    const storage = memoryStorage();
    const first = page(storage);
    first.client.identify({ id: "u1" });
    first.client.set({ plan: "pro" });
    await nextTurn();
    const second = page(storage);
    second.client.identify({ id: "u1" });
    await nextTurn();
    expect(second.transport.dataPushes()).toEqual([]);
  });

  test("persist: false remembers nothing", async () => {
    const storage = memoryStorage();
    const first = page(false);
    first.client.identify({ id: "u1" });
    await nextTurn();
    expect(storage.dump()).toEqual({});
    const second = page(false);
    second.client.identify({ id: "u2" });
    await nextTurn();
    expect(second.transport.commands.some((command) => command[1] === "session:reset")).toBe(false);
  });

  test("a broken or throwing storage is treated as empty", async () => {
    const throwing: StorageLike = {
      getItem: () => "{not json",
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {},
    };
    const { transport, client } = page(throwing);
    client.set({ plan: "pro" });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });

  test("the reset of a user switch after a reload clears the previous page's token before the reset", async () => {
    const transport = memoryTransport({ tokenId: "tok-alice", loaded: true });
    const persist = memoryStorage();
    persist.setItem("crisp-data:default", JSON.stringify({ user: "u1", keys: ["plan"] }));
    const client = createCrispData({ transport, persist });
    client.identify(null);
    client.set({ utm: "x" });
    await nextTurn();
    expect(transport.events).toEqual([
      { type: "token", tokenId: undefined },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "session:data", [[["utm", "x"]]]] },
    ]);
  });
});

test("a command the chat box throws on is reported to onError as push_failed", async () => {
  const errors: unknown[] = [];
  const transport = memoryTransport();
  transport.push = () => {
    throw new Error("Invalid email");
  };
  const client = createCrispData({ transport, persist: false, onError: (error) => errors.push(error) });
  client.identify({ id: "u1", email: "not-an-email" });
  await client.flush();
  expect(errors).toMatchObject([
    { code: "push_failed", key: "user:email", message: "[crisp-data] Error: Invalid email" },
  ]);
});
