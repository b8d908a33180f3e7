import type { CrispCommand, CrispDataError, CrispUser } from "@crisp-data/core";
import { mount } from "@vue/test-utils";
import { expect, it, vi } from "vitest";
import { createApp, defineComponent, h, reactive, ref, shallowRef, version } from "vue";
import { CrispDataPlugin, useCrispData } from "../index";
import { nextTurn, setup } from "./helpers";

it("a user without an id is reported through error and onError, never thrown from the watcher", async () => {
  const { client, transport } = setup();
  const errors: CrispDataError[] = [];
  const user = shallowRef<CrispUser | null>({ id: "a" });
  let result: ReturnType<typeof useCrispData> | undefined;
  const wrapper = mount(
    defineComponent({
      setup() {
        result = useCrispData({ plan: "pro" }, { client, user, onError: (e) => errors.push(e) });
        return () => h("p", result?.error.value?.key ?? "ok");
      },
    }),
  );
  await nextTurn();
  user.value = { id: "" };
  await nextTurn();
  expect(wrapper.text()).toBe("id");
  expect(errors).toMatchObject([{ code: "invalid_user", key: "id" }]);
  // The data stays: nothing was torn down.
  expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  expect(client.getSnapshot().user?.id).toBe("a");
});

it.runIf(version.startsWith("3.5"))(
  "unmounting the app sends its components' deletions before the plugin destroys its client",
  async () => {
    const pushed: CrispCommand[] = [];
    (window as unknown as { $crisp: unknown }).$crisp = { push: (command: CrispCommand) => void pushed.push(command) };
    const root = document.createElement("div");
    document.body.append(root);
    const app = createApp({
      render: () =>
        h(
          defineComponent({
            setup() {
              useCrispData({ plan: "pro" });
              return () => h("p");
            },
          }),
        ),
    });
    app.use(CrispDataPlugin);
    app.mount(root);
    await nextTurn();
    app.unmount();
    await nextTurn();
    expect(pushed).toEqual([
      ["set", "session:data", [[["plan", "pro"]]]],
      ["set", "session:data", [[["plan", ""]]]],
    ]);
    delete (window as unknown as { $crisp?: unknown }).$crisp;
  },
);

it("a component that does not read status or error is not re-rendered by changes elsewhere", async () => {
  const { client } = setup();
  let renders = 0;
  const plan = ref("a");
  mount(
    defineComponent({
      setup() {
        useCrispData({ silent: 1 }, { client });
        return () => {
          renders++;
          return h("p");
        };
      },
    }),
  );
  mount(
    defineComponent({
      setup() {
        useCrispData(() => ({ plan: plan.value }), { client });
        return () => h("p");
      },
    }),
  );
  await nextTurn();
  const before = renders;
  plan.value = "b";
  await nextTurn();
  expect(renders).toBe(before);
});

it("the watcher reads data and user shallowly: a nested change it does not send triggers nothing", async () => {
  const { client } = setup();
  const user = reactive({ id: "a", profile: { bio: { text: "x" } } });
  const source = client.source;
  const identify = vi.fn();
  client.source = (options) => {
    const own = source(options);
    const spied: typeof own.identify = (next) => {
      identify(next);
      return own.identify(next);
    };
    return { ...own, set: own.set, identify: spied };
  };
  mount(
    defineComponent({
      setup() {
        useCrispData({ plan: "pro" }, { client, user: () => user as unknown as CrispUser });
        return () => h("p");
      },
    }),
  );
  await nextTurn();
  expect(identify).toHaveBeenCalledTimes(1);
  user.profile.bio.text = "y";
  await nextTurn();
  expect(identify).toHaveBeenCalledTimes(1);
  user.id = "b";
  await nextTurn();
  expect(identify).toHaveBeenCalledTimes(2);
});
