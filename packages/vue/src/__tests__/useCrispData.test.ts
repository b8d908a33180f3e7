import type { CrispDataClient, CrispDataInput, CrispUser } from "@crisp-data/core";
import { render, screen } from "@testing-library/vue";
import { mount } from "@vue/test-utils";
import { describe, expect, inject, it, vi } from "vitest";
import {
  computed,
  defineComponent,
  effectScope,
  h,
  type MaybeRefOrGetter,
  nextTick,
  reactive,
  ref,
  shallowRef,
  version,
} from "vue";
import { crispDataKey, type UseCrispDataOptions, useCrispData } from "../index";
import { ALICE, BOB, nextTurn, SIX, setup } from "./helpers";

/** A component that syncs `data` and renders the status. */
function Sync(
  data: MaybeRefOrGetter<CrispDataInput | null | undefined>,
  options: UseCrispDataOptions = {},
  onSetup?: (result: ReturnType<typeof useCrispData>) => void,
) {
  return defineComponent({
    setup() {
      const result = useCrispData(data, options);
      onSetup?.(result);
      return () => h("p", `status: ${result.status.value}`);
    },
  });
}

it("runs on the Vue version this project targets", () => {
  // `vue` project: latest 3.5; `vue33` project: the lowest supported 3.3, shared by @vue/test-utils.
  expect(version.startsWith(`${inject("vueLine")}.`)).toBe(true);
});

describe("the React binding's sequence", () => {
  it("pushes 6 keys once, nothing for equal data, one pair per change, and deletes removed keys", async () => {
    const { client, transport } = setup();
    const data = ref<CrispDataInput>({ ...SIX });
    mount(Sync(data, { client }));
    await nextTurn();
    expect(transport.dataPushes()).toEqual([Object.entries(SIX)]);

    data.value = { ...SIX };
    await nextTurn();
    expect(transport.dataPushes()).toHaveLength(1);

    data.value = { ...SIX, seats: 4 };
    await nextTurn();
    expect(transport.dataPushes()[1]).toEqual([["seats", 4]]);

    const { team: _team, ...rest } = data.value;
    data.value = rest;
    await nextTurn();
    expect(transport.dataPushes()[2]).toEqual([["team", ""]]);
    expect(transport.dataPushes()).toHaveLength(3);
  });

  it("user A → null clears the token and resets the session", async () => {
    const { client, transport } = setup(undefined);
    transport.loaded = true;
    const user = shallowRef<CrispUser | null>(ALICE);
    mount(Sync({ plan: "pro" }, { client, user }));
    await nextTurn();
    expect(transport.token).toBe("tok-a");
    transport.clear();

    user.value = null;
    await nextTurn();
    expect(transport.events).toEqual([
      { type: "token", tokenId: undefined },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "session:data", [[["plan", "pro"]]]] },
    ]);
    expect(transport.token).toBeUndefined();
  });

  it("user A → B (with B's data in the same tick) resets first, then sends only B's identity and data", async () => {
    const { client, transport } = setup();
    transport.loaded = true;
    const user = shallowRef<CrispUser | null>(ALICE);
    const data = shallowRef<CrispDataInput>({ plan: "pro", owner: "alice" });
    mount(Sync(data, { client, user }));
    await nextTurn();
    transport.clear();

    // Data first, user second: the binding still applies the user first.
    data.value = { plan: "free" };
    user.value = BOB;
    await nextTurn();
    expect(transport.events).toEqual([
      { type: "token", tokenId: "tok-b" },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "user:email", ["bob@example.com"]] },
      { type: "push", command: ["set", "session:data", [[["plan", "free"]]]] },
    ]);
  });

  it("A → B: a composable whose data did not change contributes again for B", async () => {
    const { client, transport } = setup();
    const user = shallowRef<CrispUser | null>(ALICE);
    mount(Sync({ plan: "pro" }, { client, user }));
    mount(Sync({ region: "eu" }, { client }));
    await nextTurn();
    transport.clear();

    user.value = BOB;
    await nextTurn();
    expect(transport.commands).toEqual([
      ["do", "session:reset"],
      ["set", "user:email", ["bob@example.com"]],
      [
        "set",
        "session:data",
        [
          [
            ["plan", "pro"],
            ["region", "eu"],
          ],
        ],
      ],
    ]);
  });

  it("unmount deletes this component's keys, and disposing never signs out", async () => {
    const { client, transport } = setup();
    const wrapper = mount(Sync({ plan: "pro", seats: 3 }, { client, user: ALICE }));
    const other = mount(Sync({ region: "eu" }, { client }));
    await nextTurn();
    transport.clear();

    wrapper.unmount();
    await nextTurn();
    expect(transport.commands).toEqual([
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
    expect(client.getSnapshot().user?.id).toBe("a");
    expect(client.getSnapshot().data).toEqual({ region: "eu" });
    other.unmount();
  });

  it("keepOnUnmount keeps the keys", async () => {
    const { client, transport } = setup();
    const wrapper = mount(Sync({ plan: "pro" }, { client, keepOnUnmount: true }));
    await nextTurn();
    wrapper.unmount();
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(client.getSnapshot().data).toEqual({ plan: "pro" });
  });

  it("calls the client once per tick, user first, whatever the order of the changes", async () => {
    const { client } = setup();
    const calls: string[] = [];
    const recording: CrispDataClient = {
      ...client,
      source: (options) => {
        const source = client.source(options);
        const set: typeof source.set = (data) => {
          calls.push(`set ${Object.keys(data ?? {})}`);
          return source.set(data);
        };
        const identify: typeof source.identify = (user) => {
          calls.push(`identify ${user?.id}`);
          return source.identify(user);
        };
        return { ...source, set, identify };
      },
    };
    const user = shallowRef<CrispUser | null>(ALICE);
    const data = reactive<CrispDataInput>({ plan: "pro" });
    mount(Sync(data, { client: recording, user }));
    expect(calls).toEqual(["identify a", "set plan"]);
    data.seats = 2;
    data.region = "eu";
    user.value = BOB;
    await nextTurn();
    // The switch to B makes the composable contribute again at once (its data, already changed), then its watcher
    // sets the same data: core sends it once.
    expect(calls).toEqual(["identify a", "set plan", "identify b", "set plan,seats,region", "set plan,seats,region"]);
  });
});

describe("inputs", () => {
  it("a plain object", async () => {
    const { client, transport } = setup();
    mount(Sync({ plan: "pro" }, { client }));
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });

  it("a ref, replaced or mutated in place (deep)", async () => {
    const { client, transport } = setup();
    const data = ref<CrispDataInput>({ plan: "pro" });
    mount(Sync(data, { client }));
    await nextTurn();
    data.value = { plan: "team" };
    await nextTurn();
    data.value.seats = 2;
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]], [["plan", "team"]], [["seats", 2]]]);
  });

  it("a reactive object mutated in place, many changes in one tick being one push", async () => {
    const { client, transport } = setup();
    const data = reactive<CrispDataInput>({ plan: "pro", seats: 1 });
    mount(Sync(data, { client }));
    await nextTurn();
    data.plan = "team";
    data.seats = 2;
    data.seats = 5;
    data.region = "eu";
    delete data.plan;
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["plan", "pro"],
        ["seats", 1],
      ],
      [
        ["seats", 5],
        ["region", "eu"],
        ["plan", ""],
      ],
    ]);
  });

  it("a computed", async () => {
    const { client, transport } = setup();
    const seats = ref(1);
    const data = computed(() => ({ seats: seats.value, large: seats.value > 10 }));
    mount(Sync(data, { client }));
    await nextTurn();
    seats.value = 20;
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["seats", 1],
        ["large", false],
      ],
      [
        ["seats", 20],
        ["large", true],
      ],
    ]);
  });

  it("a getter over props (@testing-library/vue), null contributing nothing", async () => {
    const { client, transport } = setup();
    const Plan = defineComponent({
      props: { plan: { type: String, default: null } },
      setup(props) {
        const { status } = useCrispData(() => (props.plan ? { plan: props.plan } : null), { client });
        return () => h("p", `status: ${status.value}`);
      },
    });
    const { rerender } = render(Plan, { props: { plan: "pro" } });
    expect(await screen.findByText("status: pending")).toBeInTheDocument();
    await nextTurn();
    expect(screen.getByText("status: synced")).toBeInTheDocument();
    await rerender({ plan: "team" });
    await nextTurn();
    await rerender({ plan: null });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]].concat([[["plan", "team"]]], [[["plan", ""]]]));
  });

  it("a user getter over a Pinia-style store, many changes of data and user in one tick being one batch", async () => {
    const { client, transport } = setup();
    const store = reactive({ user: null as null | { id: string; email: string; plan: string } });
    const data = computed(() => store.user && { plan: store.user.plan });
    const user = () => store.user && { id: store.user.id, email: store.user.email };
    mount(Sync(data, { client, user }));
    await nextTurn();
    store.user = { id: "a", email: "alice@example.com", plan: "free" };
    store.user.plan = "pro";
    await nextTurn();
    expect(transport.commands).toEqual([
      ["set", "user:email", ["alice@example.com"]],
      ["set", "session:data", [[["plan", "pro"]]]],
    ]);
  });
});

describe("return values", () => {
  it("status and error are readonly refs, flush() sends now", async () => {
    const { client, transport } = setup();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let result!: ReturnType<typeof useCrispData>;
    mount(Sync({ plan: "pro" }, { client }, (r) => (result = r)));
    expect(result.status.value).toBe("pending");
    await result.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(result.status.value).toBe("synced");
    (result.status as { value: string }).value = "idle";
    expect(result.status.value).toBe("synced");
    expect(warn).toHaveBeenCalled();
  });

  it("uses the client provided under crispDataKey", async () => {
    const { client, transport } = setup();
    mount(Sync({ plan: "pro" }), { global: { provide: { [crispDataKey as symbol]: client } } });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });
});

describe("invalid input", () => {
  it("never throws: valid keys are synced, error names the rest, onError once per problem", async () => {
    const { client, transport } = setup();
    const onError = vi.fn();
    const data = ref<CrispDataInput>({ plan: "pro", "Bad Key": 1, seats: Number.NaN });
    let result!: ReturnType<typeof useCrispData>;
    mount(Sync(data, { client, onError }, (r) => (result = r)));
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(result.error.value?.issues.map((issue) => issue.key)).toEqual(["Bad Key", "seats"]);
    expect(result.error.value?.message).toContain("[crisp-data]");
    expect(result.status.value).toBe("error");
    expect(onError).toHaveBeenCalledTimes(1);

    const first = result.error.value;
    data.value = { plan: "team", "Bad Key": 1, seats: Number.NaN };
    await nextTurn();
    expect(result.error.value).toBe(first);
    expect(onError).toHaveBeenCalledTimes(1);

    data.value = { plan: "team", seats: 2 };
    await nextTurn();
    expect(result.error.value).toBeNull();
    expect(result.status.value).toBe("synced");
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]], [["plan", "team"]], [["seats", 2]]]);
  });
});

describe("outside components", () => {
  it("works in effectScope() and cleans up on scope.stop()", async () => {
    const { client, transport } = setup();
    const data = ref<CrispDataInput>({ plan: "pro" });
    const scope = effectScope();
    const result = scope.run(() => useCrispData(data, { client }));
    await nextTurn();
    expect(result?.status.value).toBe("synced");
    scope.stop();
    data.value = { plan: "team" };
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]], [["plan", ""]]]);
    // The status ref stopped following the client: the scope's subscription was released.
    client.set({ seats: 1 });
    expect(client.getSnapshot().status).toBe("pending");
    expect(result?.status.value).toBe("synced");
  });

  it("warns in development when there is no scope to clean up", async () => {
    const { client, transport } = setup();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    useCrispData({ plan: "pro" }, { client });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^\[crisp-data\] useCrispData\(\) was called outside/);
    await nextTick();
    await nextTurn();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);

    warn.mockClear();
    effectScope().run(() => useCrispData({ seats: 1 }, { client }));
    expect(warn).not.toHaveBeenCalled();
  });
});
