import {
  type CrispCommand,
  CrispDataError,
  type CrispWindow,
  createCrispData,
  type MemoryTransport,
  memoryTransport,
  type StorageLike,
  windowTransport,
} from "@crisp-data/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { memoryStorage, nextTurn, setup } from "./helpers";

const alice = { id: "alice", email: "alice@example.com", tokenId: "tok-alice" };
const bob = { id: "bob", email: "bob@example.com", tokenId: "tok-bob" };

/** The commands after the last reset: what the current Crisp session received. */
const afterLastReset = (commands: readonly CrispCommand[]) =>
  commands.slice(commands.map((command) => command[1]).lastIndexOf("session:reset") + 1);

/** A page whose script declared `var CRISP_TOKEN_ID`: the global exists and cannot be deleted. */
function pageWithVarToken() {
  const pushed: CrispCommand[] = [];
  const win = { document: {} as Document } as CrispWindow;
  Object.defineProperty(win, "CRISP_TOKEN_ID", {
    value: "tok-old",
    writable: true,
    enumerable: true,
    configurable: false,
  });
  win.$crisp = { push: (command: CrispCommand) => void pushed.push(command) };
  return { win, pushed };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("transport failures never skip a reset", () => {
  test("a non-deletable CRISP_TOKEN_ID is cleared by assignment: logout resets, the next user goes out", async () => {
    const { win, pushed } = pageWithVarToken();
    const client = createCrispData({ transport: windowTransport(win), persist: false });
    client.identify(alice);
    client.set({ secret: "A-secret" });
    await client.flush();
    client.identify(null);
    await client.flush();
    expect(win.CRISP_TOKEN_ID).toBeUndefined();
    client.identify(bob);
    client.set({ plan: "free" });
    await client.flush();
    expect(afterLastReset(pushed)).toEqual([
      ["set", "user:email", ["bob@example.com"]],
      ["set", "session:data", [[["plan", "free"]]]],
    ]);
    // Alice's and Bob's tokens each start a session (the chat box is loaded), and so does the logout.
    expect(pushed.filter((command) => command[1] === "session:reset")).toHaveLength(3);
    expect(client.getSnapshot().status).toBe("synced");
  });

  test("a token that cannot be set stops the send before the reset: reported, then retried on the next call", async () => {
    const errors: CrispDataError[] = [];
    const transport = memoryTransport({ loaded: true });
    const client = createCrispData({ transport, persist: false, onError: (error) => errors.push(error) });
    client.identify(alice);
    client.set({ secret: "A-secret" });
    await client.flush();
    const setToken = transport.setToken;
    transport.setToken = () => {
      throw new TypeError("Cannot delete property 'CRISP_TOKEN_ID'");
    };
    transport.clear();
    client.identify(bob);
    client.set({ plan: "free" });
    await client.flush();
    await nextTurn();
    // Nothing of Bob's went out without the reset before it; the problem was reported, and nothing loops.
    expect(transport.commands).toEqual([]);
    expect(errors).toMatchObject([{ code: "push_failed", key: "CRISP_TOKEN_ID" }]);
    expect(client.getSnapshot().status).toBe("error");
    transport.setToken = setToken;
    await client.flush();
    expect(transport.events).toEqual([
      { type: "token", tokenId: "tok-bob" },
      { type: "push", command: ["do", "session:reset"] },
      { type: "push", command: ["set", "user:email", ["bob@example.com"]] },
      { type: "push", command: ["set", "session:data", [[["plan", "free"]]]] },
    ]);
    expect(client.getSnapshot()).toMatchObject({ status: "synced", error: null });
  });

  test("a reset the chat box throws on is retried on the next set/identify/flush, never by itself", async () => {
    const transport = memoryTransport();
    const push = transport.push;
    let refuse = true;
    let attempts = 0;
    transport.push = (command) => {
      if (command[1] === "session:reset" && refuse) {
        attempts++;
        throw new Error("refused");
      }
      push(command);
    };
    const client = createCrispData({ transport, persist: false, onError: () => {} });
    client.identify(alice);
    await client.flush();
    client.identify(bob);
    client.set({ plan: "free" });
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(attempts).toBe(1);
    expect(transport.dataPushes()).toEqual([]);
    client.set({ seats: 2 });
    await nextTurn();
    expect(attempts).toBe(2);
    refuse = false;
    await client.flush();
    expect(afterLastReset(transport.commands)).toEqual([
      ["set", "user:email", ["bob@example.com"]],
      [
        "set",
        "session:data",
        [
          [
            ["plan", "free"],
            ["seats", 2],
          ],
        ],
      ],
    ]);
  });

  test("a reset that never went out is not remembered as done: the next page resets", async () => {
    const storage = memoryStorage();
    const transport = memoryTransport();
    const first = createCrispData({ transport, persist: storage, onError: () => {} });
    first.identify(alice);
    first.set({ secret: "A-secret" });
    await first.flush();
    transport.push = (command) => {
      if (command[1] === "session:reset") throw new Error("refused");
    };
    first.identify(bob);
    await first.flush();
    // Reload: the new page identifies Bob, whose session was never started.
    const next = memoryTransport();
    const second = createCrispData({ transport: next, persist: storage });
    second.identify(bob);
    second.set({ plan: "free" });
    await second.flush();
    expect(next.commands[0]).toEqual(["do", "session:reset"]);
  });
});

describe("re-entrancy is safe", () => {
  test("a flush from inside a push that switches user never sends the old user's data into the new session", async () => {
    const transport = memoryTransport();
    const push = transport.push;
    let switched = false;
    const client = createCrispData({ transport, persist: false });
    transport.push = (command) => {
      push(command);
      if (command[1] === "user:email" && !switched) {
        switched = true;
        client.identify(bob);
        void client.flush();
      }
    };
    client.identify(alice);
    client.set({ secret: "A-secret" });
    await client.flush();
    expect(afterLastReset(transport.commands)).toEqual([["set", "user:email", ["bob@example.com"]]]);
    expect(JSON.stringify(transport.commands)).not.toContain("A-secret");
  });

  test("identify() from onError and set() from a listener never leak the old user's data", async () => {
    const transport = memoryTransport();
    const push = transport.push;
    transport.push = (command) => {
      if (command[1] === "user:nickname") throw new Error("refused");
      push(command);
    };
    const client = createCrispData({
      transport,
      persist: false,
      onError: () => client.identify({ id: "bob" }),
    });
    let once = true;
    client.subscribe(() => {
      if (client.getSnapshot().user?.id === "bob" && once) {
        once = false;
        client.set({ plan: "bob-plan" });
      }
    });
    client.identify({ ...alice, nickname: "Alice" });
    client.set({ secret: "A-secret" });
    await client.flush();
    await nextTurn();
    expect(afterLastReset(transport.commands)).toEqual([["set", "session:data", [[["plan", "bob-plan"]]]]]);
    expect(JSON.stringify(afterLastReset(transport.commands))).not.toContain("A-secret");
  });

  test("destroy() from inside a push sends what was pending, then nothing more", async () => {
    const transport = memoryTransport();
    const push = transport.push;
    const client = createCrispData({ transport, persist: false });
    transport.push = (command) => {
      push(command);
      if (command[1] === "user:email") client.destroy();
    };
    client.identify(alice);
    client.set({ plan: "pro" });
    await client.flush();
    client.set({ plan: "team" });
    await nextTurn();
    expect(transport.commands).toEqual([
      ["set", "user:email", ["alice@example.com"]],
      ["set", "session:data", [[["plan", "pro"]]]],
    ]);
  });
});

describe("callbacks cannot break a batch", () => {
  test("a throwing onError neither aborts the push nor leaves the status lying; it is rethrown later in a browser", async () => {
    const later: Array<() => void> = [];
    vi.stubGlobal("window", {});
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void) => {
      later.push(callback);
      return 0;
    }) as typeof setTimeout);
    const transport = memoryTransport();
    const push = transport.push;
    transport.push = (command) => {
      if (command[1] === "user:email") throw new Error("Invalid email");
      push(command);
    };
    const client = createCrispData({
      transport,
      persist: false,
      onError: () => {
        throw new Error("onError threw");
      },
    });
    client.identify({ id: "u1", email: "not-an-email" });
    client.set({ plan: "pro" });
    await client.flush();
    // The email is retried before the data; the data goes out as soon as the chat box accepts the email.
    expect(client.getSnapshot().status).toBe("error");
    transport.push = push;
    await client.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
    expect(client.getSnapshot().status).toBe("synced");
    expect(later).toHaveLength(1);
    expect(() => later[0]?.()).toThrow("onError threw");
  });

  test("a throwing listener neither makes set() throw nor starves the other listeners", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { client } = setup();
    const calls: string[] = [];
    client.subscribe(() => {
      calls.push("first");
      throw new Error("listener threw");
    });
    client.subscribe(() => calls.push("second"));
    expect(() => client.set({ plan: "pro" })).not.toThrow();
    expect(calls).toEqual(["first", "second"]);
  });

  test("on the server a throwing callback is logged, never thrown (it would end the process)", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const timers = vi.spyOn(globalThis, "setTimeout");
    const { client } = setup({
      onError: () => {
        throw new Error("onError threw");
      },
    });
    client.source().set({ "Bad Key": 1 } as never);
    expect(error).toHaveBeenCalledWith(new Error("onError threw"));
    expect(timers).not.toHaveBeenCalled();
    await client.flush();
  });
});

describe("storage fails closed", () => {
  /** One page load over a shared storage. */
  const load = (persist: StorageLike) => {
    const transport = memoryTransport();
    return { transport, client: createCrispData({ transport, persist }) };
  };

  test("a throwing storage: a reload that identifies a user resets before the first identity", async () => {
    const blocked: StorageLike = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("SecurityError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const page = load(blocked);
    page.client.identify(bob);
    page.client.set({ plan: "free" });
    await page.client.flush();
    expect(page.transport.commands.map((command) => command[1])).toEqual([
      "session:reset",
      "user:email",
      "session:data",
    ]);
  });

  test("a storage that fills up: a switch it cannot record makes the next page reset", async () => {
    const store = memoryStorage();
    let full = false;
    const filling: StorageLike = {
      ...store,
      setItem: (key, value) => {
        if (full && value.length > 1) throw new Error("QuotaExceededError");
        store.setItem(key, value);
      },
    };
    const first = load(filling);
    first.client.identify(alice);
    first.client.set({ secret: "A-secret" });
    await first.client.flush();
    const second = load(filling);
    full = true;
    second.client.identify(bob);
    second.client.set({ plan: "free" });
    await second.client.flush();
    // Bob's session could not be recorded: the memory must not still say Alice.
    const third = load(filling);
    third.client.identify(alice);
    third.client.set({ plan: "pro" });
    await third.client.flush();
    expect(third.transport.commands[0]).toEqual(["do", "session:reset"]);
  });

  test("a read-only storage that still says Alice is not trusted", async () => {
    const store = memoryStorage();
    store.setItem("crisp-data:default", JSON.stringify({ user: "alice", keys: ["secret"] }));
    const readOnly: StorageLike = {
      getItem: store.getItem,
      setItem: () => {
        throw new Error("SecurityError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const page = load(readOnly);
    page.client.identify(alice);
    await page.client.flush();
    expect(page.transport.commands[0]).toEqual(["do", "session:reset"]);
  });

  test("the cost: with unusable storage an anonymous visitor's conversation does not carry into the login", async () => {
    const page = load({
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {},
    });
    page.client.set({ utm: "ads" });
    await page.client.flush();
    page.client.identify(alice);
    await page.client.flush();
    expect(page.transport.commands.map((command) => command[1])).toEqual([
      "session:data",
      "session:reset",
      "user:email",
      "session:data",
    ]);
    // The page's own data is sent again into the new conversation.
    expect(page.transport.dataPushes().at(-1)).toEqual([["utm", "ads"]]);
  });

  test("persist: false keeps its meaning: no memory, no reset on load", async () => {
    const transport = memoryTransport();
    const client = createCrispData({ transport, persist: false });
    client.identify(bob);
    await client.flush();
    expect(transport.commands).toEqual([["set", "user:email", ["bob@example.com"]]]);
  });

  test("remembered keys are validated and capped like any key", async () => {
    const store = memoryStorage();
    const keys = ["plan", "Bad Key", "<img src=x>", 7, ...Array.from({ length: 200_000 }, (_, i) => `k${i}`)];
    store.setItem("crisp-data:default", JSON.stringify({ user: null, keys }));
    const page = load(store);
    page.client.set({ fresh: "yes" });
    await page.client.flush();
    const [pairs] = page.transport.dataPushes();
    expect(pairs).toContainEqual(["plan", ""]);
    expect(pairs?.map(([key]) => key)).not.toContain("Bad Key");
    expect(pairs?.map(([key]) => key)).not.toContain("<img src=x>");
    expect(pairs?.length).toBeLessThanOrEqual(101);
  });
});

describe("unset deletes", () => {
  test("unset, set(null) and a source dropping a key delete keys this client never sent", async () => {
    const { transport, client } = setup();
    const source = client.source();
    source.set({ coupon: "XMAS", banner: "on" });
    source.set({ banner: "on" });
    client.unset("from_backend");
    client.set({ other_script: null });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([
      [
        ["coupon", ""],
        ["banner", "on"],
        ["from_backend", ""],
        ["other_script", ""],
      ],
    ]);
  });

  test("right after a reset, deletions are not sent: the session holds nothing", async () => {
    const { transport, client } = setup();
    client.identify(alice);
    await nextTurn();
    transport.clear();
    client.identify(bob);
    client.unset("coupon");
    client.set({ gone: null });
    await nextTurn();
    expect(transport.dataPushes()).toEqual([]);
  });
});

describe("typed errors, never silent", () => {
  test.each([
    [{ id: "u1", email: 42 }, "email"],
    [{ id: "u1", email: `${"a".repeat(250)}@x.io` }, "email"],
    [{ id: "u1", nickname: ["Ada"] }, "nickname"],
    [{ id: "u1", nickname: "" }, "nickname"],
    [{ id: "u1", tokenId: 123 }, "tokenId"],
    [{ id: "u1", tokenId: "t".repeat(501) }, "tokenId"],
    [{ id: "u1", phone: 33_600_000_000n }, "phone"],
    [{ id: "u1", emailSignature: {} }, "emailSignature"],
    [{ id: 7 }, "id"],
  ])("identify(%o) throws invalid_user naming %s, and pushes nothing", async (user, key) => {
    const { transport, client } = setup();
    expect(() => client.identify(user as never)).toThrow(expect.objectContaining({ code: "invalid_user", key }));
    await nextTurn();
    expect(transport.events).toEqual([]);
  });

  class Profile {
    plan = "pro";
  }
  test.each([
    ["a Map", new Map([["plan", "pro"]])],
    ["a Date", new Date()],
    ["a boxed string", new String("ab")],
    ["a class instance", new Profile()],
    ["an array", ["pro"]],
    ["a string", "plan"],
    ["a number", 7],
  ])("%s as input throws invalid_input from set, replace and identify", (_, input) => {
    const { client } = setup();
    for (const call of [
      () => client.set(input as never),
      () => client.replace(input as never),
      () => client.identify(input as never),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: "invalid_input", key: "" }));
    }
    expect(client.getSnapshot().data).toEqual({});
  });

  test("source.set never throws, even on a throwing getter or a hostile Proxy; the problem goes to error and onError", async () => {
    const errors: CrispDataError[] = [];
    const { transport, client } = setup({ onError: (error) => errors.push(error) });
    const source = client.source();
    source.set({ plan: "pro" });
    const getter = {
      seats: 3,
      get plan() {
        throw new Error("boom");
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("boom");
        },
      },
    );
    expect(() => source.set(getter as never)).not.toThrow();
    expect(source.error).toMatchObject({ code: "invalid_input" });
    expect(() => source.set(proxy as never)).not.toThrow();
    expect(() => source.set(new Map() as never)).not.toThrow();
    expect(errors[0]).toBeInstanceOf(CrispDataError);
    await nextTurn();
    // Nothing valid is lost: the value set before the bad inputs is still what Crisp holds.
    expect(client.getSnapshot().data).toMatchObject({ plan: "pro" });
    expect(transport.dataPushes()[0]).toContainEqual(["plan", "pro"]);
  });

  test("source.identify reports a user without an id instead of throwing", () => {
    const errors: CrispDataError[] = [];
    const { client } = setup({ onError: (error) => errors.push(error) });
    const source = client.source();
    expect(source.identify({ id: "" })).toMatchObject({ code: "invalid_user", key: "id" });
    expect(source.error).toMatchObject({ code: "invalid_user" });
    expect(errors).toHaveLength(1);
    expect(source.identify({ id: "u1" })).toBeNull();
    expect(client.getSnapshot().user?.id).toBe("u1");
  });
});

describe("the write log is bounded by the live keys", () => {
  test("churning 8,000 distinct keys leaves nothing behind: later writes plan only their own keys", async () => {
    const transport: MemoryTransport = memoryTransport();
    const client = createCrispData({ transport, persist: false });
    for (let i = 0; i < 8000; i++) {
      client.set({ [`k${i}`]: i });
      await client.flush();
      client.unset(`k${i}`);
      await client.flush();
    }
    transport.clear();
    client.replace({ plan: "pro" });
    await client.flush();
    expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
  });
});

describe("write log", () => {
  test("a sent deletion that shadows nothing leaves the log; one that shadows a contributor's value stays", async () => {
    const { createWriteLog } = await import("../writeLog");
    const winners = new Map();
    const [write, , prune] = createWriteLog(winners, new Set(), () => {});
    const direct = new Map();
    const source = new Map();
    write(direct, "gone", 1);
    write(direct, "gone", "");
    prune(direct, "gone");
    write(source, "plan", "a");
    write(direct, "plan", "");
    prune(direct, "plan");
    expect([...direct.keys()]).toEqual(["plan"]);
    expect(winners.has("plan")).toBe(false);
  });
});
