import {
  type CheckedInput,
  type CrispDataClient,
  type CrispDataError,
  type CrispDataInputOf,
  type CrispDataSchema,
  type CrispDataSource,
  type CrispDataStatus,
  type CrispUser,
  getDefaultCrispData,
} from "@crisp-data/core";
import { useContext, useEffect, useReducer, useRef, useState, useSyncExternalStore } from "react";
import { CrispDataContext } from "./context";

/**
 * Options of {@link useCrispData}.
 *
 * @example
 * useCrispData({ plan }, { user: session ? { id: session.userId, email: session.email } : null, onError: report });
 */
export interface UseCrispDataOptions<S extends CrispDataSchema = CrispDataSchema> {
  /**
   * The signed-in user (`null`: signed out). Leave it `undefined` when this hook does not manage identity.
   * Signing out or switching user resets the Crisp session; unmounting the hook never signs out.
   */
  user?: CrispUser | null;
  /** The client to use (default: the `CrispDataProvider`'s, else the shared one over `window.$crisp`). Read once. */
  client?: CrispDataClient<S>;
  /** Called once per distinct problem (key and code) of this hook's input, until it is fixed. */
  onError?: (error: CrispDataError) => void;
  /** Keep this component's keys in Crisp when it unmounts (default: they are deleted). */
  keepOnUnmount?: boolean;
}

/**
 * What {@link useCrispData} returns.
 *
 * @example
 * const { status, error, flush } = useCrispData({ plan });
 * if (error) console.warn(error.issues); // e.g. [{ key: "Plan", code: "invalid_key" }]
 * await flush(); // before navigating away, say
 */
export interface UseCrispDataResult {
  /** The client's status: `idle`, `pending`, `synced` or `error`. */
  status: CrispDataStatus;
  /** The latest problem with this hook's own input, `null` once it is valid again. */
  error: CrispDataError | null;
  /** Send what is pending now instead of at the next microtask. */
  flush: () => Promise<void>;
}

/**
 * Contributes `data` to the Crisp session while the component is mounted (`null`/`undefined`: nothing) and,
 * with `user`, keeps the session bound to the signed-in user. Equal data pushes nothing; every hook's changes of
 * one turn make one push; invalid entries never throw (see `error`/`onError`).
 *
 * @example
 * function CrispSync() {
 *   const { user } = useAuth();
 *   useCrispData(user ? { plan: user.plan, seats: user.seats } : null, {
 *     user: user ? { id: user.id, email: user.email } : null,
 *   });
 *   return null;
 * }
 */
export function useCrispData<
  S extends CrispDataSchema = CrispDataSchema,
  T extends CrispDataInputOf<S> = CrispDataInputOf<S>,
>(data: CheckedInput<T, S> | null | undefined, options: UseCrispDataOptions<S> = {}): UseCrispDataResult {
  const { user } = options;
  const context = useContext(CrispDataContext);
  const [client] = useState<CrispDataClient<S>>(() => options.client ?? context ?? getDefaultCrispData());
  // The latest options, for the callbacks the source was created with.
  const latest = useRef(options);
  const source = useRef<CrispDataSource<S>>(null);
  // What this component read of the result, as bits (1: status, 2: error), tracked like TanStack Query's result
  // properties: a change it never reads does not render it. Everything counts as read until the first commit, so
  // hydration sees the server's status.
  const view = useRef({
    read: 3,
    used: 0,
    status: "idle" as CrispDataStatus,
    error: null as CrispDataError | null,
  }).current;
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  view.used = 0;
  // Declared before the store hook, so its check after commit already knows what this render read.
  useEffect(() => {
    view.read = view.used;
  });
  view.status = useSyncExternalStore(
    client.subscribe,
    () => (view.read & 1 ? client.getSnapshot().status : view.status),
    () => (view.read & 1 ? client.getServerSnapshot().status : view.status),
  );
  // A switch of user forgets every contribution: each hook renders again then, so its effect contributes its
  // current data for the new user.
  useSyncExternalStore(
    client.subscribe,
    () => client.getSnapshot().user?.id,
    () => client.getServerSnapshot().user?.id,
  );

  useEffect(() => {
    const own = client.source({ onError: (problem) => latest.current.onError?.(problem) });
    source.current = own;
    return () => own.dispose({ keep: latest.current.keepOnUnmount });
  }, [client]);

  // Identify when the user's content changes, not every render: two hooks that disagree would otherwise switch
  // the session back and forth on every render. Declared first, so the user is applied before the data; an
  // invalid user is reported through `error`/`onError`, never thrown from the effect.
  // (`JSON.stringify(undefined)` is `undefined`: no user, no identify.)
  const identity = JSON.stringify(user);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `identity` stands for the user's content.
  useEffect(() => {
    if (user !== undefined) source.current?.identify(user);
  }, [client, identity]);

  // After every render: core skips equal data, so there is nothing to compare here.
  useEffect(() => {
    latest.current = options;
    const error = source.current?.set(data as CrispDataInputOf<S> as never) ?? null;
    if (error !== view.error) {
      view.error = error;
      if (view.read & 2) rerender();
    }
  });

  return {
    get status() {
      view.used |= 1;
      view.read |= 1;
      return view.status;
    },
    get error() {
      view.used |= 2;
      view.read |= 2;
      return view.error;
    },
    flush: client.flush,
  };
}
