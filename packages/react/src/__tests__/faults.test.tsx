import type { CrispDataError } from "@crisp-data/core";
import { render, screen } from "@testing-library/react";
import { useState } from "react";
import { expect, test } from "vitest";
import { CrispDataProvider } from "../CrispDataProvider";
import { useCrispData } from "../useCrispData";
import { Sync, settle, setup, strict } from "./helpers";

test("a user without an id is reported through error and onError, never thrown: the app stays mounted", async () => {
  const { client, transport } = setup();
  const errors: CrispDataError[] = [];
  render(
    strict(
      <Sync client={client} data={{ plan: "pro", seats: 3 }} user={{ id: "" }} onError={(e) => errors.push(e)}>
        <p>still here</p>
      </Sync>,
    ),
  );
  await settle();
  expect(screen.getByText("still here")).toBeInTheDocument();
  expect(screen.getByRole("status", { hidden: true }).textContent).toBe("id");
  expect(errors[0]).toMatchObject({ code: "invalid_user", key: "id" });
  // The data was not deleted by an unmount: it went out, and stays.
  expect(transport.dataPushes()).toEqual([
    [
      ["plan", "pro"],
      ["seats", 3],
    ],
  ]);
});

function Plan({ plan }: { plan: string }) {
  useCrispData({ plan, seats: 2 });
  return null;
}

test("unmounting the provider sends the pending deletions before its client is destroyed", async () => {
  const pushed: unknown[] = [];
  window.$crisp = { push: (command: unknown) => void pushed.push(command) } as never;
  let signOut: () => void = () => {};
  // biome-ignore lint/correctness/noComponentHookFactories: the test owns the component that signs out.
  function App() {
    const [signedIn, setSignedIn] = useState(true);
    signOut = () => setSignedIn(false);
    return signedIn ? (
      <CrispDataProvider>
        <Plan plan="pro" />
      </CrispDataProvider>
    ) : null;
  }
  render(strict(<App />));
  await settle();
  const { act } = await import("@testing-library/react");
  await act(async () => signOut());
  await settle();
  expect(pushed).toEqual([
    [
      "set",
      "session:data",
      [
        [
          ["plan", "pro"],
          ["seats", 2],
        ],
      ],
    ],
    [
      "set",
      "session:data",
      [
        [
          ["plan", ""],
          ["seats", ""],
        ],
      ],
    ],
  ]);
  delete window.$crisp;
});
