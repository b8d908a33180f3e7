// @vitest-environment node
import { type CrispDataClient, createCrispData, getDefaultCrispData, memoryTransport } from "@crisp-data/core";
import { act, version } from "react";
import { renderToString, version as serverVersion } from "react-dom/server";
import { afterAll, expect, test, vi } from "vitest";
import { builtinEnvironments } from "vitest/runtime";
import { useCrispData } from "../index";
import { dataA, userA } from "./helpers";

function App({ client }: { client?: CrispDataClient }) {
  const { status } = useCrispData({ ...dataA }, { user: userA, client });
  return <output>{status}</output>;
}

test("renderToString in plain Node: no window, no push, the default client is fresh per request", async () => {
  expect(typeof window).toBe("undefined");
  expect(serverVersion).toBe(version);
  expect(version.startsWith(process.env.CRISP_DATA_REACT === "18" ? "18." : "19.")).toBe(true);
  expect(renderToString(<App />)).toBe("<output>idle</output>");
  expect(renderToString(<App />)).toBe("<output>idle</output>");
  expect(getDefaultCrispData()).not.toBe(getDefaultCrispData());
  expect(getDefaultCrispData().getSnapshot().user).toBeNull();
  await Promise.resolve();
  expect("$crisp" in globalThis).toBe(false);
});

let teardown: (() => unknown) | undefined;
afterAll(() => teardown?.());

test("hydrateRoot after renderToString syncs once, without a hydration mismatch", async () => {
  const transport = memoryTransport();
  const client = createCrispData({ transport, persist: false });
  const html = renderToString(<App client={client} />);
  await Promise.resolve();
  expect(transport.commands).toEqual([]);

  // Now play the browser: a window appears, then React hydrates the server HTML.
  const env = await builtinEnvironments["happy-dom"].setup(globalThis, {});
  teardown = () => env.teardown(globalThis);
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const { hydrateRoot } = await import("react-dom/client");
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  const errors = vi.spyOn(console, "error");
  const onRecoverableError = vi.fn();
  await act(async () => {
    hydrateRoot(container, <App client={client} />, { onRecoverableError });
  });
  expect(onRecoverableError).not.toHaveBeenCalled();
  expect(errors).not.toHaveBeenCalled();
  expect(transport.commands).toEqual([
    ["set", "user:email", ["a@example.test"]],
    ["set", "session:data", [Object.entries(dataA)]],
  ]);
  expect(container.textContent).toBe("synced");
});
