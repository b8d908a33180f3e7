// Type tests, checked by `vue-tsc --noEmit` (pnpm typecheck).
import { expectTypeOf } from "vitest";
import { computed, createApp, type Ref, reactive, ref } from "vue";
import { type CrispDataError, CrispDataPlugin, type CrispDataStatus, createCrispData, useCrispData } from "../index";

const result = useCrispData(ref({ plan: "pro", seats: 3 }), { user: () => ({ id: "u1", email: "a@b.c" }) });
expectTypeOf(result.status).toEqualTypeOf<Readonly<Ref<CrispDataStatus>>>();
expectTypeOf(result.error).toEqualTypeOf<Readonly<Ref<CrispDataError | null>>>();
expectTypeOf(result.flush).toEqualTypeOf<() => Promise<void>>();
// @ts-expect-error status is read-only
result.status.value = "idle";

useCrispData({ plan: "pro" });
useCrispData(reactive({ plan: "pro", trial: false }));
useCrispData(computed(() => ({ seats: 1 })));
useCrispData(() => null, { user: null, keepOnUnmount: true, onError: (error) => error.issues });
useCrispData(() => undefined, { user: ref(undefined), client: createCrispData() });
// @ts-expect-error values are strings, numbers or booleans
useCrispData({ tags: ["a"] });
// @ts-expect-error a user needs an id
useCrispData({}, { user: { email: "a@b.c" } });

const app = createApp({});
app.use(CrispDataPlugin);
app.use(CrispDataPlugin, { websiteId: "site", load: true, scriptUrl: "http://localhost:1234/l.js", nonce: "n" });
app.use(CrispDataPlugin, { client: createCrispData() });
// @ts-expect-error websiteId is a string
app.use(CrispDataPlugin, { websiteId: 1 });

// Keys are checked at compile time, however the data is passed.
useCrispData({ plan: "pro", "plan-price": 9, user_id: "u1" });
useCrispData(() => ({ plan: "pro" }));
// @ts-expect-error invalid key in a literal
useCrispData({ "Bad Key": 1 });
// @ts-expect-error invalid key in a getter's result
useCrispData(() => ({ plan: "pro", "Bad Key": 1 }));
// @ts-expect-error invalid key in a getter that may return null
useCrispData(() => (Math.random() > 0.5 ? { Plan: "pro" } : null));
// @ts-expect-error invalid key in a ref
useCrispData(ref({ "Bad Key": 1 }));
// @ts-expect-error invalid key in a computed
useCrispData(computed(() => ({ "Bad Key": 1 })));
// @ts-expect-error invalid key in a reactive object
useCrispData(reactive({ "Bad Key": 1 }));
// A record built at run time is checked at run time.
useCrispData(ref<Record<string, string>>({}));
