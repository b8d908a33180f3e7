import { CrispDataError, memoryTransport } from "@crisp-data/core";
import { describe, expect, test, vi } from "vitest";
import { nextTurn, setup } from "./helpers";

const alice = { id: "u1", email: "alice@example.com", nickname: "Alice", phone: "+33600000001" };
const bob = { id: "u2", email: "bob@example.com", nickname: "Bob", tokenId: "tok-bob" };

describe("signing in", () => {
  test("no user → a user keeps the session: identity, then the batch's data, no reset", async () => {
    const { transport, client } = setup();
    client.identify(alice);
    client.set({ plan: "pro" });
    await nextTurn();
    expect(transport.commands).toEqual([
      ["set", "user:email", ["alice@example.com"]],
      ["set", "user:nickname", ["Alice"]],
      ["set", "user:phone", ["+33600000001"]],
      ["set", "session:data", [[["plan", "pro"]]]],
    ]);
  });

  test("an anonymous visitor's data stays when they sign in (no reset)", async () => {
    const { transport, client } = setup();
    client.set({ utm_source: "ads" });
    await nextTurn();
    client.identify({ id: "u1", email: "alice@example.com" });
    await nextTurn();
    expect(transport.commands.map((command) => command[1])).toEqual(["session:data", "user:email"]);
    expect(client.getSnapshot().data).toEqual({ utm_source: "ads" });
  });

  test("an email signature is sent with the email", async () => {
    const { transport, client } = setup();
    client.identify({ id: "u1", email: "alice@example.com", emailSignature: "abc123" });
    await nextTurn();
    expect(transport.commands).toEqual([["set", "user:email", ["alice@example.com", "abc123"]]]);
  });

  test("the same id again pushes only the identity fields that changed", async () => {
    const { transport, client } = setup();
    client.identify(alice);
    await nextTurn();
    transport.clear();
    client.identify({ ...alice });
    await nextTurn();
    expect(transport.commands).toEqual([]);
    client.identify({ ...alice, nickname: "Alice B." });
    await nextTurn();
    expect(transport.commands).toEqual([["set", "user:nickname", ["Alice B."]]]);
  });

  test("a token before the chat box loads is only set, with no reset", async () => {
    const { transport, client } = setup();
    client.identify(bob);
    await nextTurn();
    expect(transport.events[0]).toEqual({ type: "token", tokenId: "tok-bob" });
    expect(transport.commands.some((command) => command[1] === "session:reset")).toBe(false);
  });

  test("a token once the chat box has loaded with none is set, then the session is reset, data kept", async () => {
    const transport = memoryTransport({ loaded: true });
    const { client } = setup({ transport });
    client.set({ plan: "pro" });
    await nextTurn();
    client.identify(bob);
    await nextTurn();
    expect(transport.events.slice(1)).toEqual([
      { type: "token", tokenId: "tok-bob" },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "user:email", ["bob@example.com"]] },
      { type: "push", command: ["set", "user:nickname", ["Bob"]] },
      { type: "push", command: ["set", "session:data", [[["plan", "pro"]]]] },
    ]);
  });

  test("a user without an id is refused", () => {
    const { client } = setup();
    expect(() => client.identify({ id: "" })).toThrow(CrispDataError);
    expect(() => client.identify({} as { id: string })).toThrow(/invalid_user/);
  });
});

describe("switching users", () => {
  test("logout: clear the token before the reset, and no value of the user survives", async () => {
    const { transport, client } = setup();
    client.identify(bob);
    client.set({ plan: "pro" });
    await nextTurn();
    transport.clear();
    client.identify(null);
    await nextTurn();
    expect(transport.events).toEqual([
      { type: "token", tokenId: undefined },
      { type: "push", command: ["do", "session:reset"] },
    ]);
    expect(transport.token).toBeUndefined();
    expect(client.getSnapshot()).toMatchObject({ user: null, data: {} });
  });

  test("A → B: token, reset, then only B's identity and data; A's same-turn data is dropped", async () => {
    const { transport, client } = setup();
    client.identify(alice);
    client.set({ plan: "starter", seats: 1 });
    await nextTurn();
    transport.clear();
    client.set({ plan: "enterprise" });
    client.identify(bob);
    client.set({ plan: "free" });
    await nextTurn();
    expect(transport.events).toEqual([
      { type: "token", tokenId: "tok-bob" },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "user:email", ["bob@example.com"]] },
      { type: "push", command: ["set", "user:nickname", ["Bob"]] },
      { type: "push", command: ["set", "session:data", [[["plan", "free"]]]] },
    ]);
  });

  test("sources are forgotten too: they contribute again for the new user", async () => {
    const { transport, client } = setup();
    const locale = client.source();
    client.identify(alice);
    locale.set({ locale: "fr" });
    await nextTurn();
    client.identify(bob);
    await nextTurn();
    expect(client.getSnapshot().data).toEqual({});
    locale.set({ locale: "fr" });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["locale", "fr"]], [["locale", "fr"]]]);
  });

  test("after a reset, nothing set for the previous user is pushed again", async () => {
    const { transport, client } = setup();
    client.identify(alice);
    client.set({ alice_only: "secret" });
    await nextTurn();
    client.identify(null);
    await nextTurn();
    client.identify(bob);
    client.set({ plan: "free" });
    await nextTurn();
    const afterReset = transport.commands.slice(transport.commands.findIndex((c) => c[1] === "session:reset"));
    expect(JSON.stringify(afterReset)).not.toContain("alice");
    expect(client.getSnapshot().data).toEqual({ plan: "free" });
  });

  test("two different users in one turn warn in development; the latest wins", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client } = setup();
    client.identify(alice);
    client.identify(bob);
    await nextTurn();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("[crisp-data] identify() got two different users"));
    expect(client.getSnapshot().user?.id).toBe("u2");
    warn.mockRestore();
  });
});
