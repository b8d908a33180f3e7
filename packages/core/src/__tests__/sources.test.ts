import { CrispDataError } from "@crisp-data/core";
import { describe, expect, test, vi } from "vitest";
import { nextTurn, setup } from "./helpers";

describe("sources", () => {
  test("two contributors with different keys share one push per turn", async () => {
    const { transport, client } = setup();
    client.source().set({ plan: "pro" });
    client.source().set({ locale: "fr" });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["locale", "fr"],
      ],
    ]);
  });

  test("a source's set makes its contribution exactly the input: dropped keys are deleted", async () => {
    const { transport, client } = setup();
    const source = client.source();
    source.set({ plan: "pro", is_trialing: true });
    await nextTurn();
    source.set({ plan: "pro" });
    await nextTurn();
    source.set(null);
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["is_trialing", true],
      ],
      [["is_trialing", ""]],
      [["plan", ""]],
    ]);
  });

  test("re-setting equal data does not take ownership of a shared key", async () => {
    const { client } = setup();
    const first = client.source();
    const second = client.source();
    first.set({ plan: "a" });
    second.set({ plan: "b" });
    first.set({ plan: "a" });
    await nextTurn();
    expect(client.getSnapshot().data).toEqual({ plan: "b" });
  });

  test("latest write wins; when the writer stops, the other's value comes back", async () => {
    const { transport, client } = setup();
    const first = client.source();
    const second = client.source();
    first.set({ plan: "a" });
    await nextTurn();
    second.set({ plan: "b" });
    await nextTurn();
    second.dispose();
    await nextTurn();
    first.dispose();
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "a"]], [["plan", "b"]], [["plan", "a"]], [["plan", ""]]]);
  });

  test("direct calls are one more contributor under the same rule", async () => {
    const { client } = setup();
    const source = client.source();
    source.set({ plan: "a" });
    client.set({ plan: "direct" });
    expect(client.getSnapshot().data).toEqual({ plan: "direct" });
    source.set({ plan: "b" });
    expect(client.getSnapshot().data).toEqual({ plan: "b" });
    client.unset("plan");
    expect(client.getSnapshot().data).toEqual({});
    source.dispose();
    client.set({ plan: "c" });
    expect(client.getSnapshot().data).toEqual({ plan: "c" });
  });

  test("dispose({ keep: true }) leaves the keys in Crisp", async () => {
    const { transport, client } = setup();
    const source = client.source();
    source.set({ plan: "pro" });
    await nextTurn();
    source.dispose({ keep: true });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(client.getSnapshot().data).toEqual({ plan: "pro" });
    source.set({ plan: "ignored after dispose" });
    expect(client.getSnapshot().data).toEqual({ plan: "pro" });
  });

  test("dispose and a new source with the same data in one turn sends nothing (remount)", async () => {
    const { transport, client } = setup();
    const source = client.source();
    source.set({ plan: "pro", seats: 2 });
    await nextTurn();
    source.dispose();
    client.source().set({ plan: "pro", seats: 2 });
    await nextTurn();
    expect(transport.commands).toHaveLength(1);
  });

  test("invalid entries never throw: valid ones apply, the error names the rest, last valid values stay", async () => {
    const onError = vi.fn();
    const { transport, client } = setup({ onError });
    const source = client.source();
    source.set({ plan: "pro", seats: 2 });
    await nextTurn();
    const error = source.set({ plan: "team", seats: Number.NaN, "Bad Key": 1 } as Record<string, number | string>);
    await nextTurn();
    expect(error).toBeInstanceOf(CrispDataError);
    expect(error?.issues).toEqual([
      { key: "seats", code: "invalid_value" },
      { key: "Bad Key", code: "invalid_key" },
    ]);
    expect(source.error).toBe(error);
    expect(transport.dataPushes()[1]).toEqual([["plan", "team"]]);
    expect(client.getSnapshot()).toMatchObject({ status: "error", error, data: { plan: "team", seats: 2 } });
    source.set({ plan: "team", seats: 3 });
    expect(source.error).toBeNull();
    expect(client.getSnapshot().status).toBe("pending");
    await nextTurn();
    expect(client.getSnapshot()).toMatchObject({ status: "synced", error: null });
    expect(onError).toHaveBeenCalledTimes(1);
  });

  test("onError fires once per distinct problem until it is fixed, and the error keeps its identity", () => {
    const sourceError = vi.fn();
    const clientError = vi.fn();
    const { client } = setup({ onError: clientError });
    const source = client.source({ onError: sourceError });
    const bad = { "Bad Key": 1 } as Record<string, number>;
    const first = source.set(bad);
    const second = source.set({ ...bad });
    expect(second).toBe(first);
    expect(sourceError).toHaveBeenCalledTimes(1);
    source.set({ ...bad, worse: Number.NaN });
    expect(sourceError).toHaveBeenCalledTimes(2);
    expect(sourceError.mock.calls[1]?.[0].issues).toEqual([{ key: "worse", code: "invalid_value" }]);
    source.set({});
    source.set(bad);
    expect(sourceError).toHaveBeenCalledTimes(3);
    expect(clientError).toHaveBeenCalledTimes(3);
  });
});
