import { CrispDataError } from "@crisp-data/core";
import { describe, expect, test } from "vitest";
import { nextTurn, setup } from "./helpers";

describe("batching", () => {
  test("one synchronous turn is at most one multi-pair push, at the next microtask", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    client.set({ seats: 3 });
    client.set({ plan: "team", is_trialing: false });
    expect(transport.commands).toEqual([]);
    await null;
    expect(transport.commands).toEqual([
      [
        "set",
        "session:data",
        [
          [
            ["plan", "team"],
            ["seats", 3],
            ["is_trialing", false],
          ],
        ],
      ],
    ]);
  });

  test("only keys whose value differs from what Crisp was sent are pushed", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro", seats: 3 });
    await nextTurn();
    client.set({ plan: "pro", seats: 4 });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["seats", 3],
      ],
      [["seats", 4]],
    ]);
  });

  test("equal data in a new object sends nothing", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    await nextTurn();
    for (let i = 0; i < 20; i++) client.set({ plan: "pro" });
    await nextTurn();
    expect(transport.dataPushes()).toHaveLength(1);
  });

  test("set then unset in the same turn sends only the deletion (Crisp may hold the key from elsewhere)", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    client.unset("plan");
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", ""]]]);
  });

  test("deletions are sent as empty strings, whatever form they took", async () => {
    const { transport, client } = setup();
    client.set({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    await nextTurn();
    client.unset("a");
    client.set({ b: null, c: undefined, d: "" });
    await nextTurn();
    expect(transport.dataPushes()[1]).toEqual([
      ["a", ""],
      ["b", ""],
      ["c", ""],
      ["d", ""],
    ]);
    expect(client.getSnapshot().data).toEqual({ e: 5 });
  });

  test("unset deletes: a key this client never sent (the backend's, another script's) is deleted too", async () => {
    const { transport, client } = setup();
    client.unset("never_sent");
    client.set({ gone: null });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["never_sent", ""],
        ["gone", ""],
      ],
    ]);
    // Once the deletion is sent the client knows Crisp does not hold the key: deleting again sends nothing.
    client.unset("never_sent");
    await nextTurn();
    expect(transport.dataPushes()).toHaveLength(1);
  });

  test("unset after a reset sends nothing: the new session holds no key", async () => {
    const { transport, client } = setup();
    client.identify({ id: "u1" });
    await nextTurn();
    client.identify({ id: "u2" });
    client.unset("coupon");
    await nextTurn();
    expect(transport.commands).toEqual([["do", "session:reset"]]);
  });

  test("replace makes the data exactly the input; clear deletes every key", async () => {
    const { transport, client } = setup();
    client.set({ a: 1, b: 2 });
    await nextTurn();
    client.replace({ b: 2, c: 3 });
    await nextTurn();
    client.clear();
    await nextTurn();
    expect(transport.dataPushes().slice(1)).toEqual([
      [
        ["c", 3],
        ["a", ""],
      ],
      [
        ["b", ""],
        ["c", ""],
      ],
    ]);
    expect(client.getSnapshot().data).toEqual({});
  });

  test("invalid input throws synchronously and changes nothing", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    expect(() => client.set({ seats: 3, ["Bad Key" as "bad"]: 1 })).toThrow(CrispDataError);
    expect(() => client.replace({ ok: 1, worse: { nested: true } as never })).toThrow(/worse/);
    expect(() => client.unset("Nope" as string)).toThrow(CrispDataError);
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });

  test("flush() sends what is pending now", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    await client.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    await nextTurn();
    expect(transport.commands).toHaveLength(1);
  });

  test("destroy() sends what is pending, then detaches: nothing is sent afterwards", async () => {
    const { transport, client } = setup();
    client.set({ plan: "pro" });
    client.destroy();
    client.set({ seats: 1 });
    client.identify({ id: "u1", email: "a@example.com" });
    await nextTurn();
    expect(transport.commands).toEqual([["set", "session:data", [[["plan", "pro"]]]]]);
  });
});
