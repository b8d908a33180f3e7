import { act, cleanup, render } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { CrispDataProvider, useCrispData } from "../index";
import { settle, setup, strict } from "./helpers";

function Plan({ plan }: { plan: string }) {
  useCrispData({ plan });
  return null;
}

afterEach(async () => {
  // Unmounting a provider sends its pending deletions before it destroys its client: let that happen first.
  cleanup();
  await act(async () => {});
  for (const script of document.querySelectorAll("script")) script.remove();
  delete window.$crisp;
  delete window.CRISP_WEBSITE_ID;
  localStorage.clear();
});

test("hooks below a provider use its client", async () => {
  const { transport, client } = setup();
  render(
    strict(
      <CrispDataProvider client={client}>
        <Plan plan="pro" />
      </CrispDataProvider>,
    ),
  );
  await settle();
  expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
});

test("the loader injects the chat script once with websiteId, scriptUrl and nonce (StrictMode)", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const ui = (plan: string) =>
    strict(
      <CrispDataProvider websiteId="site-1" load scriptUrl="http://127.0.0.1:9/l.js" nonce="n0nce">
        <Plan plan={plan} />
      </CrispDataProvider>,
    );
  const { rerender } = render(ui("pro"));
  await settle();
  rerender(ui("team"));
  await settle();
  const scripts = document.querySelectorAll('script[src="http://127.0.0.1:9/l.js"]');
  expect(scripts).toHaveLength(1);
  expect(scripts[0]).toHaveAttribute("async");
  expect((scripts[0] as HTMLScriptElement).nonce).toBe("n0nce");
  expect(window.CRISP_WEBSITE_ID).toBe("site-1");
  // The client survived StrictMode's unmount and mount: it is not destroyed.
  expect(window.$crisp).toEqual([
    ["set", "session:data", [[["plan", "pro"]]]],
    ["set", "session:data", [[["plan", "team"]]]],
  ]);
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});

test("without load the provider injects nothing; unmounting it destroys its client", async () => {
  const { unmount } = render(
    <CrispDataProvider websiteId="site-1">
      <Plan plan="pro" />
    </CrispDataProvider>,
  );
  await settle();
  expect(document.querySelectorAll("script")).toHaveLength(0);
  expect(window.$crisp).toEqual([["set", "session:data", [[["plan", "pro"]]]]]);
  unmount();
  await act(async () => {});
  // A later provider on the same window is the only client: no "two clients" warning.
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  render(<CrispDataProvider websiteId="site-1" />);
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});

declare global {
  interface Window {
    CRISP_WEBSITE_ID?: string;
  }
}
