import { describe, expect, test, vi } from "vitest";
import { nextTurn, setup } from "./helpers";

describe("snapshot", () => {
  test("is frozen, and its identity changes only when its content does", async () => {
    const { client } = setup();
    const listener = vi.fn();
    client.subscribe(listener);
    const idle = client.getSnapshot();
    expect(idle).toEqual({ user: null, data: {}, status: "idle", error: null });
    expect(Object.isFrozen(idle)).toBe(true);
    expect(Object.isFrozen(idle.data)).toBe(true);
    client.set({ plan: "pro" });
    const pending = client.getSnapshot();
    expect(pending).toMatchObject({ data: { plan: "pro" }, status: "pending" });
    client.set({ plan: "pro" });
    expect(client.getSnapshot()).toBe(pending);
    await nextTurn();
    const synced = client.getSnapshot();
    expect(synced.status).toBe("synced");
    expect(synced.data).toBe(synced.data);
    client.set({ plan: "pro" });
    await nextTurn();
    expect(client.getSnapshot()).toBe(synced);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  test("unsubscribe stops notifications; the server snapshot is the initial one", async () => {
    const { client } = setup();
    const initial = client.getSnapshot();
    const listener = vi.fn();
    const unsubscribe = client.subscribe(listener);
    unsubscribe();
    client.identify({ id: "u1", email: "a@example.com" });
    await nextTurn();
    expect(listener).not.toHaveBeenCalled();
    expect(client.getSnapshot().user).toEqual({ id: "u1", email: "a@example.com" });
    expect(client.getServerSnapshot()).toBe(initial);
  });

  test("identifying the same user again keeps the snapshot", async () => {
    const { client } = setup();
    client.identify({ id: "a", email: "a@example.com" });
    await nextTurn();
    const before = client.getSnapshot();
    client.identify({ id: "a", email: "a@example.com" });
    expect(client.getSnapshot()).toBe(before);
    client.identify({ id: "a", email: "b@example.com" });
    expect(client.getSnapshot()).not.toBe(before);
  });
});
