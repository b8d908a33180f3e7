import {
  type CrispCommand,
  type CrispDataClient,
  type CrispDataSource,
  type CrispWindow,
  createCrispData,
  type StorageLike,
  windowTransport,
} from "@crisp-data/core";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { Intent, type Write } from "./intent";

/**
 * The faults issue's proof: the environment is generated too. Storage works, fills up, throws, or is read-only;
 * the chat box throws on some pushes; the page may declare a `var CRISP_TOKEN_ID` (non-deletable); callbacks
 * (listeners, onError, the push itself) re-enter the client; the page reloads. Replayed on a model of Crisp
 * written apart from the client: no value set for one signed-in user is ever in a session while another user's
 * (or a signed-out) session holds it, and once pushes go through, Crisp holds exactly what the app means.
 */

const RUNS = Number(process.env.CRISP_FAULT_RUNS ?? 10_000);
const SEED = Number(process.env.CRISP_FAULT_SEED ?? 20_261_201);

type StorageKind = "works" | "fills" | "throws" | "read-only";

/** A browser storage with a fault: full past `capacity` characters, throwing on every call, or read-only. */
function faultyStorage(kind: StorageKind, capacity: number): StorageLike {
  const map = new Map<string, string>();
  const size = () => [...map].reduce((total, [key, value]) => total + key.length + value.length, 0);
  return {
    getItem(key) {
      if (kind === "throws") throw new Error("SecurityError");
      return map.get(key) ?? null;
    },
    setItem(key, value) {
      if (kind === "throws" || kind === "read-only") throw new Error("SecurityError");
      const before = map.get(key);
      map.set(key, value);
      if (kind === "fills" && size() > capacity) {
        if (before === undefined) map.delete(key);
        else map.set(key, before);
        throw new Error("QuotaExceededError");
      }
    },
    removeItem(key) {
      if (kind === "throws" || kind === "read-only") throw new Error("SecurityError");
      map.delete(key);
    },
  };
}

/** Crisp's side: one session (it survives reloads, a reset empties it) and who it belongs to. */
class CrispModel {
  session = new Map<string, unknown>();
  /** The signed-in user whose conversation this is (`null`: nobody signed in since the last reset). */
  signedIn: string | null = null;
  apply([action, method, arg]: CrispCommand) {
    if (action === "do" && method === "session:reset") this.session = new Map();
    if (action === "set" && method === "session:data") {
      for (const [key, value] of (arg as [Array<[string, unknown]>])[0]) {
        if (value === "") this.session.delete(key);
        else this.session.set(key, value);
      }
    }
  }
  /** A value carries the user it was set for: one of another signed-in user is a leak. */
  leaks() {
    return [...this.session.values()].filter((value) => {
      const owner = String(value).split(":")[1];
      return owner !== "null" && owner !== this.signedIn;
    });
  }
}

const key = fc.constantFrom("plan", "seats", "locale", "is_trialing", "coupon");
const value = fc.option(fc.constantFrom("x", "y", ""), { nil: null });
const data = fc.dictionary(key, value, { maxKeys: 3 });
const user = fc.constantFrom("alice", "bob", null);
const op = fc.record({
  // Re-entrant: run from inside the next successful `$crisp.push`, as a chat box callback would.
  reentrant: fc.boolean(),
  action: fc.oneof(
    fc.record({ kind: fc.constant("set" as const), data }),
    fc.record({ kind: fc.constant("unset" as const), keys: fc.array(key, { maxLength: 2 }) }),
    fc.record({ kind: fc.constant("replace" as const), data }),
    fc.record({ kind: fc.constant("clear" as const) }),
    fc.record({ kind: fc.constant("newSource" as const) }),
    fc.record({ kind: fc.constant("sourceSet" as const), index: fc.nat(3), data: fc.option(data, { nil: null }) }),
    fc.record({ kind: fc.constant("dispose" as const), index: fc.nat(3), keep: fc.boolean() }),
    fc.record({ kind: fc.constant("identify" as const), user, token: fc.boolean() }),
    fc.record({ kind: fc.constant("reload" as const) }),
  ),
});
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
const environment = fc.record({
  storage: fc.constantFrom<StorageKind>("works", "fills", "throws", "read-only"),
  capacity: fc.nat(120),
  // Which pushes the chat box throws on (cycled), while faults are on.
  failures: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
  lockedToken: fc.boolean(),
  loaded: fc.boolean(),
  listenerReenters: fc.boolean(),
  listenerThrows: fc.boolean(),
  onErrorReenters: fc.boolean(),
  onErrorThrows: fc.boolean(),
});

let muted: Array<{ mockRestore(): void }> = [];
beforeAll(() => {
  // Thrown callbacks are logged (no window here): thousands of runs would flood the output.
  muted = [
    vi.spyOn(console, "error").mockImplementation(() => {}),
    vi.spyOn(console, "warn").mockImplementation(() => {}),
  ];
});
afterAll(() => {
  for (const spy of muted) spy.mockRestore();
});

test("under generated faults, no value of one user reaches another's session, and Crisp ends with exactly the app's data", async () => {
  await fc.assert(
    fc.asyncProperty(
      environment,
      fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
      async (env, turns) => {
        const storage = faultyStorage(env.storage, env.capacity);
        const crisp = new CrispModel();
        let faults = true;
        let pushes = 0;
        let deferred: Op[] = [];
        let reloaded = false;
        let resetSinceReload = false;
        let intent = new Intent();
        let handles: CrispDataSource[] = [];
        let client = undefined as unknown as CrispDataClient;
        let serial = 0;
        let leak: unknown[] = [];

        const page = () => {
          const win = { document: {} as Document, localStorage: storage as Storage } as CrispWindow &
            Record<string, unknown>;
          if (env.lockedToken) {
            // `var CRISP_TOKEN_ID` on a page: a global that cannot be deleted.
            Object.defineProperty(win, "CRISP_TOKEN_ID", {
              value: undefined,
              writable: true,
              enumerable: true,
              configurable: false,
            });
          }
          const alive = { current: true };
          const chatBox = {
            push(command: CrispCommand) {
              if (!alive.current) return;
              if (faults && env.failures[pushes++ % env.failures.length]) throw new Error("refused");
              crisp.apply(command);
              if (command[1] === "session:reset") resetSinceReload = true;
              leak = [...leak, ...crisp.leaks()];
              const now = deferred;
              deferred = [];
              for (const o of now) apply(o.action);
            },
          };
          win.$crisp = env.loaded ? chatBox : ([] as CrispCommand[]);
          const transport = windowTransport(win);
          if (!env.loaded) {
            // Not loaded: commands queue on the array; deliver them as the chat script would, in order, at push time.
            const queue = win.$crisp as CrispCommand[];
            queue.push = (...commands: CrispCommand[]) => {
              for (const command of commands) chatBox.push(command);
              return 0;
            };
          }
          client = createCrispData({
            transport,
            persist: storage,
            onError() {
              if (env.onErrorReenters) void client.flush();
              if (env.onErrorThrows) throw new Error("onError threw");
            },
          });
          client.subscribe(() => {
            if (env.listenerReenters) void client.flush();
            if (env.listenerThrows) throw new Error("listener threw");
          });
          return alive;
        };
        let alive = page();

        const tag = (input: Record<string, string | null>) =>
          Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v ? `${v}:${intent.user}:${serial++}` : v]));
        const write = (writes: Map<string, Write>, input: Record<string, string | null>) => {
          for (const [k, v] of Object.entries(input)) writes.set(k, { value: v ?? "", at: ++intent.clock });
        };

        // The model records each intent before the client hears of it: the client may run re-entrant ops (from
        // a listener's flush, inside a push) before its call returns.
        const apply = (action: Op["action"]) => {
          switch (action.kind) {
            case "set": {
              const input = tag(action.data);
              write(intent.direct, input);
              client.set(input);
              return;
            }
            case "unset":
              write(intent.direct, Object.fromEntries(action.keys.map((k) => [k, null])));
              client.unset(...action.keys);
              return;
            case "replace": {
              const input = tag(action.data);
              const current = intent.data();
              write(
                intent.direct,
                Object.fromEntries(
                  Object.keys(current)
                    .filter((k) => !(k in input))
                    .map((k) => [k, null]),
                ),
              );
              write(intent.direct, input);
              client.replace(input);
              return;
            }
            case "clear":
              write(intent.direct, Object.fromEntries(Object.keys(intent.data()).map((k) => [k, null])));
              client.clear();
              return;
            case "newSource":
              intent.sources.push({ live: true, writes: new Map() });
              handles.push(client.source());
              return;
            case "sourceSet": {
              const source = intent.sources[action.index];
              if (!source?.live) return;
              const input = action.data && tag(action.data);
              const next = new Map(Object.entries(input ?? {}).map(([k, v]) => [k, v ?? ""]));
              for (const k of [...source.writes.keys()]) if (!next.has(k)) source.writes.delete(k);
              for (const [k, v] of next)
                if (source.writes.get(k)?.value !== v) source.writes.set(k, { value: v, at: ++intent.clock });
              handles[action.index]?.set(input);
              return;
            }
            case "dispose": {
              const source = intent.sources[action.index];
              if (!source?.live) return;
              source.live = false;
              if (action.keep) {
                for (const [k, w] of source.writes)
                  if ((intent.direct.get(k)?.at ?? -1) < w.at) intent.direct.set(k, w);
              }
              handles[action.index]?.dispose({ keep: action.keep });
              return;
            }
            case "identify": {
              const next = action.user;
              // Signing in continues an anonymous (or the same user's) session; anyone else needs a new one.
              if (next !== null) crisp.signedIn = next;
              else if (intent.user !== null) crisp.signedIn = null;
              if (intent.user !== null && intent.user !== next) {
                intent.direct.clear();
                for (const source of intent.sources) source.writes.clear();
              }
              intent.user = next;
              client.identify(next ? { id: next, ...(action.token && { tokenId: `tok-${next}` }) } : null);
              return;
            }
            case "reload": {
              // The old page's end-of-turn send runs before it unloads (a reload cannot cut a task short); what
              // it could not push is lost with it. Crisp's session and the storage stay, and the new page
              // identifies whoever the app's login says, as an app with a login does on every page.
              void client.flush();
              alive.current = false;
              deferred = [];
              const signedIn = intent.user as "alice" | "bob" | null;
              intent = new Intent();
              handles = [];
              reloaded = true;
              resetSinceReload = false;
              alive = page();
              apply({ kind: "identify", user: signedIn, token: false });
              return;
            }
          }
        };

        for (const turn of turns) {
          faults = true;
          for (const o of turn) {
            if (o.reentrant && o.action.kind !== "reload") deferred.push(o);
            else apply(o.action);
          }
          await client.flush();
          // Whatever did not run inside a push runs now; then the chat box stops refusing and the app flushes.
          const rest = deferred;
          deferred = [];
          for (const o of rest) apply(o.action);
          await client.flush();
          faults = false;
          await client.flush();
          for (const o of deferred.splice(0)) apply(o.action);
          await client.flush();

          expect(leak).toEqual([]);
          const held = Object.fromEntries(crisp.session);
          const wanted = intent.data();
          expect(client.getSnapshot().data).toEqual(wanted);
          // A previous page's keys may linger until this page's first write (or forever when storage is
          // unusable, for the same user): exact once a reset or no reload happened.
          if (!reloaded || resetSinceReload) expect(held).toEqual(wanted);
          else expect(held).toMatchObject(wanted);
        }
        alive.current = false;
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
}, 600_000);
