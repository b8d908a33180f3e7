import { expect, it, vi } from "vitest";
import { createSSRApp, defineComponent, h, nextTick, ref } from "vue";
import { useCrispData } from "../index";
import { ALICE, nextTurn, SIX, setup } from "./helpers";

// What the server renders for this component (ssr.server.test.ts checks it): the initial status, like React's
// `getServerSnapshot`, whatever the browser's client is doing.
const SERVER_HTML = "<p>status: idle</p>";

function hydrate(component: ReturnType<typeof defineComponent>) {
  const warnings: string[] = [];
  for (const method of ["warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
    });
  }
  const container = document.createElement("div");
  container.innerHTML = SERVER_HTML;
  document.body.append(container);
  const app = createSSRApp(component);
  app.mount(container);
  return { container, warnings, app };
}

it("hydrates with the server's status, without a mismatch, then shows the live status after mount", async () => {
  const { client } = setup();
  const statuses: string[] = [];
  const Sync = defineComponent({
    setup() {
      // The browser's client has work pending at once (here: this component's data; in an app, the reset for a
      // user who signed out in another tab), so its live status during setup is not the server's.
      const { status } = useCrispData(ref({ ...SIX }), { client, user: ALICE });
      return () => {
        statuses.push(status.value);
        return h("p", `status: ${status.value}`);
      };
    },
  });
  const { container, warnings, app } = hydrate(Sync);
  expect(client.getSnapshot().status).toBe("pending");
  expect(statuses).toEqual(["idle"]);
  await nextTick();
  expect(container.innerHTML).not.toBe(SERVER_HTML);
  expect(statuses[1]).toMatch(/^(pending|synced)$/);
  await nextTurn();
  expect(container.innerHTML).toBe("<p>status: synced</p>");
  expect(warnings).toEqual([]);
  app.unmount();
});

it("a fresh client-side mount shows the live status from the first render", () => {
  const { client } = setup();
  const statuses: string[] = [];
  const Sync = defineComponent({
    setup() {
      const { status } = useCrispData(ref({ ...SIX }), { client, user: ALICE });
      return () => {
        statuses.push(status.value);
        return h("p", status.value);
      };
    },
  });
  const container = document.createElement("div");
  createSSRApp(Sync).mount(container);
  expect(statuses).toEqual(["pending"]);
});
