import { act, render } from "@testing-library/react";
import { memo, Profiler, type ReactNode, useState } from "react";
import { expect, test } from "vitest";
import { useCrispData } from "../useCrispData";
import { settle, setup, strict } from "./helpers";

/** Counts the commits of each component under a Profiler: what a user sees as re-renders. */
function counted(ui: ReactNode) {
  const renders = { count: 0 };
  return {
    renders,
    ui: (
      <Profiler id="hooks" onRender={() => void renders.count++}>
        {ui}
      </Profiler>
    ),
  };
}

let setters: Array<(plan: string) => void> = [];
function Silent({ index, client }: { index: number; client: ReturnType<typeof setup>["client"] }) {
  const [plan, setPlan] = useState("a");
  setters[index] = setPlan;
  useCrispData({ [`plan_${index}`]: plan }, { client });
  return null;
}

function Reader({ client }: { client: ReturnType<typeof setup>["client"] }) {
  const { status } = useCrispData({ reader: 1 }, { client });
  return <output>{status}</output>;
}

/** Renders per component: each Silent is its own Profiler so one component's commits are counted apart. */
function app(client: ReturnType<typeof setup>["client"], counts: number[], withReader = false) {
  return (
    <>
      {Array.from({ length: 20 }, (_, index) => `c${index}`).map((id, index) => (
        <Profiler
          key={id}
          id={id}
          onRender={() => {
            counts[index] = (counts[index] ?? 0) + 1;
          }}
        >
          <Silent index={index} client={client} />
        </Profiler>
      ))}
      {withReader && <Reader client={client} />}
    </>
  );
}

test("mounting 20 hook components renders each once: no re-render for a status it does not read", async () => {
  setters = [];
  const { client } = setup();
  const counts: number[] = [];
  render(app(client, counts));
  await settle();
  expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(25);
  expect(counts).toEqual(Array(20).fill(1));
});

test("one of 20 components changing its data re-renders that one only", async () => {
  setters = [];
  const { client, transport } = setup();
  const counts: number[] = [];
  render(app(client, counts));
  await settle();
  counts.fill(0);
  await act(async () => setters[7]?.("b"));
  await settle();
  expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2);
  expect(counts[7]).toBe(1);
  expect(transport.dataPushes().at(-1)).toEqual([["plan_7", "b"]]);
});

test("a component that reads status re-renders for it; the silent ones still do not (StrictMode)", async () => {
  setters = [];
  const { client } = setup();
  const counts: number[] = [];
  const { renders, ui } = counted(<Reader client={client} />);
  const { container } = render(
    strict(
      <>
        {app(client, counts)}
        {ui}
      </>,
    ),
  );
  await settle();
  expect(container.querySelector("output")?.textContent).toBe("synced");
  const before = renders.count;
  counts.fill(0);
  await act(async () => setters[3]?.("b"));
  await settle();
  // StrictMode renders twice per commit in development; the Profiler counts commits.
  expect(counts.filter((count, index) => index !== 3 && count > 0)).toEqual([]);
  expect(renders.count - before).toBeGreaterThan(0);
  expect(container.querySelector("output")?.textContent).toBe("synced");
});

type Client = ReturnType<typeof setup>["client"];
// Memoised: nothing but the client can render it again.
const Locale = memo(function Locale({ client }: { client: Client }) {
  useCrispData({ locale: "fr" }, { client });
  return null;
});
function Session({ client, user }: { client: Client; user: { id: string } | null }) {
  useCrispData(null, { client, user });
  return null;
}

test("a component that reads nothing still contributes again after a switch of user", async () => {
  setters = [];
  const { client, transport } = setup();
  const { rerender } = render(
    <>
      <Session client={client} user={{ id: "a" }} />
      <Locale client={client} />
    </>,
  );
  await settle();
  rerender(
    <>
      <Session client={client} user={{ id: "b" }} />
      <Locale client={client} />
    </>,
  );
  await settle();
  await settle();
  expect(transport.commands.slice(-2)).toEqual([
    ["do", "session:reset"],
    ["set", "session:data", [[["locale", "fr"]]]],
  ]);
});
