import type { CrispDataClient, CrispDataError, CrispDataInput, CrispDataStatus, CrispUser } from "@crisp-data/core";
import {
  getCurrentScope,
  type MaybeRefOrGetter,
  onScopeDispose,
  type Ref,
  readonly,
  shallowRef,
  toValue,
  watch,
} from "vue";
import { whileHydrating } from "./hydration";
import type { KeyChecked } from "./keyCheck";
import { useCrispDataClient } from "./useCrispDataClient";

/** Options of `useCrispData`. */
export interface UseCrispDataOptions {
  /**
   * The signed-in user: `null` when signed out, `undefined` (the default) when identity is managed elsewhere.
   * Signing out or switching user resets the Crisp session before any data of the new user is sent.
   */
  user?: MaybeRefOrGetter<CrispUser | null | undefined>;
  /** The client to use (default: the one `CrispDataPlugin` provides, else the shared default client). */
  client?: CrispDataClient;
  /** Called once per distinct problem (key and code) of the data, until it is fixed. */
  onError?: (error: CrispDataError) => void;
  /** Keep this composable's keys in Crisp when its scope is disposed (default: they are deleted). */
  keepOnUnmount?: boolean;
}

/** What `useCrispData` returns. */
export interface UseCrispDataReturn {
  /** The client's status: `idle`, `pending`, `synced` or `error`. */
  status: Readonly<Ref<CrispDataStatus>>;
  /** The problem with this composable's latest data (its valid keys were still sent), `null` when valid. */
  error: Readonly<Ref<CrispDataError | null>>;
  /** Send what is pending now instead of at the end of the tick. */
  flush(): Promise<void>;
}

/**
 * Keeps Crisp's session data equal to `data` for as long as the calling component (or effect scope) lives. Pass
 * a ref, a getter, a `computed` or a `reactive` object so changes sync (deep changes included); everything
 * changed in one tick is one push. When the scope is disposed, the keys it set are deleted (unless
 * `keepOnUnmount`); disposing never signs the user out. Invalid data never throws: the valid keys are sent and
 * `error` names the rest, and so does a `user` core cannot send (one without an `id`, say): nothing throws.
 *
 * @example
 * const auth = useAuthStore();
 * const { status, error } = useCrispData(
 *   () => auth.user && { plan: auth.user.plan, seats: auth.user.seats },
 *   { user: () => auth.user && { id: auth.user.id, email: auth.user.email } },
 * );
 */
export function useCrispData<D extends MaybeRefOrGetter<CrispDataInput | null | undefined>>(
  data: KeyChecked<D>,
  options?: UseCrispDataOptions,
): UseCrispDataReturn;
export function useCrispData(
  data: MaybeRefOrGetter<CrispDataInput | null | undefined>,
  options: UseCrispDataOptions = {},
): UseCrispDataReturn {
  const client = options.client ?? useCrispDataClient();
  const source = client.source(options);
  // Shallow refs trigger only the renders that read them: a component that never shows the status is not
  // re-rendered by a change anywhere in the client.
  const status = shallowRef() as Ref<CrispDataStatus>;
  const error = shallowRef<CrispDataError | null>(null);
  // Null until the first update reads the snapshot: no user yet means no switch.
  let user: Readonly<CrispUser> | null = null;
  const hydrating = whileHydrating(() => update());
  const update = () => {
    const snapshot = client.getSnapshot();
    status.value = (hydrating() ? client.getServerSnapshot() : snapshot).status;
    // Signing out or switching user starts an empty session: contribute again, as a React component does on its
    // next render. (Signing in from no user keeps the session, and this component's data with it.)
    const switched = user !== null && user.id !== snapshot.user?.id;
    user = snapshot.user;
    if (switched) error.value = source.set(toValue(data));
  };
  update();
  const unsubscribe = client.subscribe(update);
  // One watcher with the default "pre" flush: a tick's changes arrive in one call, and the user goes first. Data
  // and user are flat, so reading their own properties tracks every change without a deep traversal.
  watch(
    () => [tracked(toValue(options.user)), tracked(toValue(data))] as const,
    ([user, value]) => {
      if (user !== undefined) source.identify(user);
      error.value = source.set(value);
    },
    { immediate: true },
  );
  if (getCurrentScope()) {
    onScopeDispose(() => {
      unsubscribe();
      source.dispose({ keep: options.keepOnUnmount });
    });
  } else if (process.env.NODE_ENV !== "production") {
    console.warn(
      "[crisp-data] useCrispData() was called outside a component or effectScope(): its keys will never be deleted. Call it in setup() or inside effectScope().run().",
    );
  }
  return { status: readonly(status), error: readonly(error), flush: client.flush };
}

/** Reads every own property of a reactive object, so the watcher depends on each, and returns it. */
function tracked<T>(value: T): T {
  if (value && typeof value === "object") Object.values(value);
  return value;
}
