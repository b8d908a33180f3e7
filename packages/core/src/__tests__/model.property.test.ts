import { type CrispCommand, type CrispDataSource, createCrispData, memoryTransport } from "@crisp-data/core";
import fc from "fast-check";
import { expect, test, vi } from "vitest";
import { Intent, type Write } from "./intent";

/** What Crisp's session holds after replaying the pushed commands; a reset starts an empty session. */
function replay(commands: readonly CrispCommand[]) {
  let session = new Map<string, unknown>();
  for (const [action, method, arg] of commands) {
    if (action === "do" && method === "session:reset") session = new Map();
    if (action === "set" && method === "session:data") {
      for (const [key, value] of (arg as [Array<[string, unknown]>])[0]) {
        if (value === "") session.delete(key);
        else session.set(key, value);
      }
    }
  }
  return Object.fromEntries(session);
}

const key = fc.constantFrom("plan", "seats", "locale", "is_trialing", "coupon");
const value = fc.option(fc.constantFrom("x", "y", ""), { nil: null });
const op = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), data: fc.dictionary(key, value, { maxKeys: 3 }) }),
  fc.record({ kind: fc.constant("unset" as const), keys: fc.array(key, { maxLength: 2 }) }),
  fc.record({ kind: fc.constant("replace" as const), data: fc.dictionary(key, value, { maxKeys: 3 }) }),
  fc.record({ kind: fc.constant("clear" as const) }),
  fc.record({ kind: fc.constant("newSource" as const) }),
  fc.record({
    kind: fc.constant("sourceSet" as const),
    index: fc.nat(3),
    data: fc.option(fc.dictionary(key, value, { maxKeys: 3 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant("dispose" as const), index: fc.nat(3), keep: fc.boolean() }),
  fc.record({ kind: fc.constant("identify" as const), user: fc.constantFrom("alice", "bob", null) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

test("replaying the pushes on a model of Crisp gives exactly the intended data, never a previous user's value", async () => {
  // Random turns often identify two users in one turn: the development warning about it is expected.
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
      async (turns) => {
        const transport = memoryTransport();
        const client = createCrispData({ transport, persist: false });
        const intent = new Intent();
        const handles: CrispDataSource[] = [];
        let direct = 0;
        // Who the browser's current Crisp session has belonged to: a reset starts it, signing in from anonymous adds to it.
        let owners = new Set(["null"]);
        // Every value carries the user it was set for, so a leak across a reset is visible in the pushes.
        const tag = (data: Record<string, string | null>) =>
          Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, v ? `${v}:${intent.user}:${direct++}` : v]),
          ) as Record<string, string | null>;
        const write = (writes: Map<string, Write>, data: Record<string, string | null>) => {
          for (const [k, v] of Object.entries(data)) writes.set(k, { value: v ?? "", at: ++intent.clock });
        };

        const apply = (o: Op) => {
          switch (o.kind) {
            case "set": {
              const data = tag(o.data);
              client.set(data);
              write(intent.direct, data);
              return;
            }
            case "unset":
              client.unset(...o.keys);
              write(intent.direct, Object.fromEntries(o.keys.map((k) => [k, null])));
              return;
            case "replace": {
              const data = tag(o.data);
              client.replace(data);
              const current = intent.data();
              write(
                intent.direct,
                Object.fromEntries(
                  Object.keys(current)
                    .filter((k) => !(k in data))
                    .map((k) => [k, null]),
                ),
              );
              write(intent.direct, data);
              return;
            }
            case "clear":
              client.clear();
              write(intent.direct, Object.fromEntries(Object.keys(intent.data()).map((k) => [k, null])));
              return;
            case "newSource":
              handles.push(client.source());
              intent.sources.push({ live: true, writes: new Map() });
              return;
            case "sourceSet": {
              const source = intent.sources[o.index];
              if (!source?.live) return;
              const data = o.data && tag(o.data);
              handles[o.index]?.set(data);
              const next = new Map(Object.entries(data ?? {}).map(([k, v]) => [k, v ?? ""]));
              for (const k of [...source.writes.keys()]) if (!next.has(k)) source.writes.delete(k);
              for (const [k, v] of next)
                if (source.writes.get(k)?.value !== v) source.writes.set(k, { value: v, at: ++intent.clock });
              return;
            }
            case "dispose": {
              const source = intent.sources[o.index];
              if (!source?.live) return;
              handles[o.index]?.dispose({ keep: o.keep });
              source.live = false;
              if (o.keep) {
                for (const [k, w] of source.writes)
                  if ((intent.direct.get(k)?.at ?? -1) < w.at) intent.direct.set(k, w);
              }
              return;
            }
            case "identify":
              client.identify(o.user ? { id: o.user } : null);
              if (intent.user === null) owners.add(String(o.user));
              if (intent.user !== null && intent.user !== o.user) {
                owners = new Set([String(o.user)]);
                // New session: every contribution is forgotten; contributors set their data again for the new user.
                intent.direct.clear();
                for (const source of intent.sources) source.writes.clear();
              }
              intent.user = o.user;
          }
        };

        for (const turn of turns) {
          const before = transport.commands.length;
          for (const o of turn) apply(o);
          await client.flush();
          expect(replay(transport.commands)).toEqual(intent.data());
          expect(client.getSnapshot().data).toEqual(intent.data());
          for (const command of transport.commands.slice(before)) {
            if (command[1] !== "session:data") continue;
            for (const [, v] of (command[2] as [Array<[string, unknown]>])[0]) {
              if (typeof v === "string" && v.includes(":")) expect(owners).toContain(v.split(":")[1]);
            }
          }
        }
        client.destroy();
      },
    ),
    { numRuns: 500 },
  );
  expect(warn.mock.calls.every(([message]) => String(message).includes("identify() got two different users"))).toBe(
    true,
  );
  warn.mockRestore();
});
