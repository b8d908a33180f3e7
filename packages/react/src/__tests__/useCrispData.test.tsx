import { act, render, renderHook } from "@testing-library/react";
import { memo, version } from "react";
import { version as domVersion } from "react-dom";
import { describe, expect, test, vi } from "vitest";
import { useCrispData } from "../index";
import { type Data, dataA, Sync, settle, setup, strict, userA, userB } from "./helpers";

test("runs on the React version this project targets", () => {
  const major = process.env.CRISP_DATA_REACT === "18" ? "18." : "19.";
  expect(version.startsWith(major)).toBe(true);
  expect(domVersion.startsWith(major)).toBe(true);
});

describe("mount", () => {
  for (const mode of ["plain", "StrictMode"] as const) {
    test(`6 keys → one session:data push with 6 pairs, identity just before (${mode})`, async () => {
      const { transport, client } = setup();
      const ui = <Sync client={client} user={userA} data={{ ...dataA }} />;
      render(mode === "StrictMode" ? strict(ui) : ui);
      await settle();
      expect(transport.commands).toEqual([
        ["set", "user:email", ["a@example.test"]],
        ["set", "session:data", [Object.entries(dataA)]],
      ]);
      expect(transport.token).toBe("token-a");
    });
  }

  test("status follows the client snapshot", async () => {
    const { client } = setup();
    const { container } = render(strict(<Sync client={client} data={{ plan: "pro" }} />));
    expect(container.querySelector("output")?.dataset.status).toBe("pending");
    await settle();
    expect(container.querySelector("output")?.dataset.status).toBe("synced");
  });
});

describe("updates", () => {
  test("20 equal re-renders push nothing; one change pushes one pair; a removed key pushes [key, '']", async () => {
    const { transport, client } = setup();
    const ui = (data: Data) => strict(<Sync client={client} user={{ ...userA }} data={data} />);
    const { rerender } = render(ui({ ...dataA }));
    await settle();
    transport.clear();
    for (let i = 0; i < 20; i++) {
      rerender(ui({ ...dataA }));
      await settle();
    }
    expect(transport.commands).toEqual([]);
    rerender(ui({ ...dataA, plan: "pro" }));
    await settle();
    expect(transport.commands).toEqual([["set", "session:data", [[["plan", "pro"]]]]]);
    const { is_trialing: _, ...removed } = { ...dataA, plan: "pro" };
    rerender(ui(removed));
    await settle();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]], [["is_trialing", ""]]]);
  });

  test("flush() sends at once, before the end of the turn", async () => {
    const { transport, client } = setup();
    const { result } = renderHook(() => useCrispData({ plan: "pro" }, { client }));
    expect(transport.dataPushes()).toEqual([]);
    await result.current.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(result.current.flush).toBe(client.flush);
  });
});

// Another contributor that does not re-render when the user changes.
const Page = memo(function Page({ client }: { client: ReturnType<typeof setup>["client"] }) {
  return <Sync client={client} data={{ page: "billing" }} />;
});

describe("user lifecycle", () => {
  test("A → null: the token is cleared, then session:reset; no value of A afterwards", async () => {
    const { transport, client } = setup();
    const ui = (signedIn: boolean) =>
      strict(<Sync client={client} user={signedIn ? userA : null} data={signedIn ? { ...dataA } : null} />);
    const { rerender } = render(ui(true));
    await settle();
    transport.clear();
    rerender(ui(false));
    await settle();
    expect(transport.events).toEqual([
      { type: "token", tokenId: undefined },
      { type: "push", command: ["do", "session:reset"] },
    ]);
    expect(transport.token).toBeUndefined();
    expect(client.getSnapshot().data).toEqual({});
  });

  test("A → B: reset, then only B's identity and data; every mounted hook contributes again", async () => {
    const { transport, client } = setup();
    const ui = (who: "A" | "B") =>
      strict(
        <>
          <Page client={client} />
          <Sync
            client={client}
            user={who === "A" ? userA : userB}
            data={who === "A" ? { ...dataA } : { plan: "free", team_size: 1 }}
          />
        </>,
      );
    const { rerender } = render(ui("A"));
    await settle();
    expect(transport.dataPushes()).toEqual([[["page", "billing"], ...Object.entries(dataA)]]);
    transport.clear();
    rerender(ui("B"));
    await settle();
    expect(transport.events).toEqual([
      { type: "token", tokenId: "token-b" },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "user:email", ["b@example.test"]] },
      {
        type: "push",
        command: [
          "set",
          "session:data",
          [
            [
              ["plan", "free"],
              ["team_size", 1],
              // The memoised page is not re-rendered by the parent: it contributes again for B once the client's
              // snapshot tells it the user changed, still before the push.
              ["page", "billing"],
            ],
          ],
        ],
      },
    ]);
    const sent = JSON.stringify(transport.commands);
    for (const value of Object.values(dataA))
      if (value !== "billing") expect(sent).not.toContain(JSON.stringify(value));
    expect(client.getSnapshot().data).toEqual({ page: "billing", plan: "free", team_size: 1 });
  });

  test("A → B when a child without `user` sets B's data in its effect, before its parent's identify effect", async () => {
    const { transport, client } = setup();
    // Effects run children first: the child's set for B comes before the parent's identify(B) in the same commit.
    const ui = (who: "A" | "B") =>
      strict(
        <Sync client={client} user={who === "A" ? userA : userB} data={null}>
          <Sync client={client} data={who === "A" ? { ...dataA } : { plan: "free" }} />
        </Sync>,
      );
    const { rerender } = render(ui("A"));
    await settle();
    transport.clear();
    rerender(ui("B"));
    await settle();
    expect(transport.commands).toEqual([
      ["do", "session:reset"],
      ["set", "user:email", ["b@example.test"]],
      ["set", "session:data", [[["plan", "free"]]]],
    ]);
  });

  test("unmounting the hook that passes the user never signs out", async () => {
    const { transport, client } = setup();
    const { unmount } = render(strict(<Sync client={client} user={userA} data={{ plan: "pro" }} />));
    await settle();
    transport.clear();
    unmount();
    await settle();
    expect(transport.commands).toEqual([["set", "session:data", [[["plan", ""]]]]]);
    expect(client.getSnapshot().user).toEqual(userA);
  });

  test("hooks that disagree about the user: a development warning, the latest wins", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { transport, client } = setup();
    // Fresh user objects every render, as `user={{ id, email }}` in JSX gives.
    const ui = () => (
      <>
        <Sync client={client} user={{ ...userA }} data={null} />
        <Sync client={client} user={{ ...userB }} data={null} />
      </>
    );
    const { rerender } = render(ui());
    await settle();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("two different users"));
    expect(client.getSnapshot().user?.id).toBe("usr_B");
    // Re-renders with the same users identify nobody again: the session is not reset back and forth.
    transport.clear();
    for (let i = 0; i < 3; i++) rerender(ui());
    await settle();
    expect(transport.events).toEqual([]);
    expect(client.getSnapshot().user?.id).toBe("usr_B");
    warn.mockRestore();
  });
});

describe("unmount", () => {
  test("deletes the keys this component contributed", async () => {
    const { transport, client } = setup();
    const { rerender } = render(
      strict(
        <>
          <Sync client={client} data={{ plan: "pro" }} />
          <Sync client={client} data={{ page: "home", tab: "a" }} />
        </>,
      ),
    );
    await settle();
    rerender(strict(<Sync client={client} data={{ plan: "pro" }} />));
    await settle();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["page", "home"],
        ["tab", "a"],
      ],
      [
        ["page", ""],
        ["tab", ""],
      ],
    ]);
  });

  test("keepOnUnmount keeps them", async () => {
    const { transport, client } = setup();
    const { unmount } = render(strict(<Sync client={client} data={{ plan: "pro" }} keepOnUnmount />));
    await settle();
    unmount();
    await settle();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(client.getSnapshot().data).toEqual({ plan: "pro" });
  });

  test("an unmount and a remount in the same turn (route change) send nothing", async () => {
    const { transport, client } = setup();
    const ui = (route: string) => strict(<Sync key={route} client={client} data={{ plan: "pro" }} />);
    const { rerender } = render(ui("/a"));
    await settle();
    transport.clear();
    rerender(ui("/b"));
    await settle();
    expect(transport.commands).toEqual([]);
  });
});

describe("several components", () => {
  test("different keys share one push per turn", async () => {
    const { transport, client } = setup();
    const ui = (n: number) =>
      strict(
        <>
          <Sync client={client} data={{ plan: `p${n}` }} />
          <Sync client={client} data={{ page: `r${n}` }} />
        </>,
      );
    const { rerender } = render(ui(1));
    await settle();
    rerender(ui(2));
    await settle();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "p1"],
        ["page", "r1"],
      ],
      [
        ["plan", "p2"],
        ["page", "r2"],
      ],
    ]);
  });

  test("a shared key: the latest write wins; when its writer unmounts the other's value comes back", async () => {
    const { transport, client } = setup();
    const { rerender } = render(strict(<Sync client={client} data={{ plan: "free" }} />));
    await settle();
    const both = (
      <>
        <Sync client={client} data={{ plan: "free" }} />
        <Sync client={client} data={{ plan: "pro" }} />
      </>
    );
    rerender(strict(both));
    await settle();
    expect(client.getSnapshot().data).toEqual({ plan: "pro" });
    rerender(strict(<Sync client={client} data={{ plan: "free" }} />));
    await settle();
    expect(transport.dataPushes()).toEqual([[["plan", "free"]], [["plan", "pro"]], [["plan", "free"]]]);
  });
});

describe("invalid input", () => {
  test("never throws: valid keys are synced, error names the bad keys, onError once per problem", async () => {
    const { transport, client } = setup();
    const onError = vi.fn();
    const ui = (data: Data) => <Sync client={client} data={data} onError={(e) => onError(e.issues)} />;
    const { container, rerender } = render(ui({ plan: "pro", "Bad Key": 1, seats: Number.NaN }));
    await settle();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(container.textContent).toBe("Bad Key,seats");
    expect(container.querySelector("output")?.dataset.status).toBe("error");
    for (let i = 0; i < 5; i++) rerender(ui({ plan: "pro", "Bad Key": 1, seats: Number.NaN }));
    await settle();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith([
      { key: "Bad Key", code: "invalid_key" },
      { key: "seats", code: "invalid_value" },
    ]);
    rerender(ui({ plan: "pro", seats: 2 }));
    await settle();
    expect(container.textContent).toBe("");
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]], [["seats", 2]]]);
    rerender(ui({ plan: "pro", seats: 2, "Bad Key": 1 }));
    await settle();
    expect(onError).toHaveBeenCalledTimes(2);
  });

  test("under StrictMode: re-renders never repeat onError (the dev-only double mount may report once more)", async () => {
    const { client } = setup();
    const onError = vi.fn();
    const ui = (data: Data) => strict(<Sync client={client} data={data} onError={onError} />);
    const { rerender } = render(ui({ "Bad Key": 1 }));
    await settle();
    // StrictMode's simulated unmount disposes the first source; its replacement reports the problem again.
    const atMount = onError.mock.calls.length;
    expect(atMount).toBeGreaterThanOrEqual(1);
    expect(atMount).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) rerender(ui({ "Bad Key": 1 }));
    await settle();
    expect(onError).toHaveBeenCalledTimes(atMount);
  });

  test("a new onError function each render does not recreate the source", async () => {
    const { transport, client } = setup();
    const spy = vi.spyOn(client, "source");
    const { rerender } = render(<Sync client={client} data={{ a: 1 }} onError={() => {}} />);
    for (let i = 0; i < 3; i++) rerender(<Sync client={client} data={{ a: 1 }} onError={() => {}} />);
    await settle();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(transport.dataPushes()).toEqual([[["a", 1]]]);
  });
});

test("without a provider or client the hook drives window.$crisp", async () => {
  const { result } = renderHook(() => useCrispData({ plan: "pro" }));
  await act(() => result.current.flush());
  expect(window.$crisp).toContainEqual(["set", "session:data", [[["plan", "pro"]]]]);
});

declare global {
  interface Window {
    $crisp?: unknown[];
  }
}
