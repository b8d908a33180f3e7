import { browserTransport } from "./browserTransport";
import { CrispDataError, type CrispDataIssue } from "./errors";
import { isValidKey } from "./keys";
import { persistence, type StorageLike } from "./persistence";
import type {
  CheckedInput,
  CrispCommand,
  CrispDataInputOf,
  CrispDataSchema,
  CrispDataSnapshot,
  CrispTransport,
  CrispUser,
} from "./types";
import { validateInput, validateInputStrict } from "./validate";
import type { CrispWireValue } from "./values";

export interface CrispDataOptions {
  /** Where commands go (default: `browserTransport()` in a browser, nothing on the server). */
  transport?: CrispTransport;
  /** Called with each new problem a source's input has (`source.set` never throws). */
  onError?: (error: CrispDataError) => void;
  /**
   * Remember across reloads which user the browser's Crisp session belongs to and which keys were sent, so a
   * different user after a reload gets a fresh session and keys nobody sets any more are deleted.
   * Default: the transport's storage (`localStorage` in a browser). `false` turns it off.
   */
  persist?: boolean | StorageLike;
}

export interface CrispDataSourceOptions {
  /** Called once per distinct problem (key and code) until the input no longer has it. */
  onError?: (error: CrispDataError) => void;
}

/** One contributor's share of the data (a component). The bindings are built on it. */
export interface CrispDataSource<S extends CrispDataSchema = CrispDataSchema> {
  /**
   * Make this contributor's data exactly `data` (`null`/`undefined`: nothing, so its keys are deleted). Never
   * throws: valid entries apply, a key whose new value is invalid keeps its last valid value, and the problem is
   * returned, kept in `error` and reported to `onError`.
   */
  set<T extends CrispDataInputOf<S>>(data: (T & CheckedInput<T, S>) | null | undefined): CrispDataError | null;
  /** The problem with the latest input, `null` once it is valid. */
  readonly error: CrispDataError | null;
  /** Stop contributing: its keys are deleted (or fall back to another contributor), unless `keep`. */
  dispose(options?: { keep?: boolean }): void;
}

export interface CrispDataClient<S extends CrispDataSchema = CrispDataSchema> {
  /** Merge keys. Throws `CrispDataError` (and changes nothing) when any key or value is invalid. */
  set<T extends CrispDataInputOf<S>>(data: T & CheckedInput<T, S>): void;
  /** Delete keys. */
  unset(...keys: Array<Extract<keyof S, string>>): void;
  /** Make the data exactly `data`. */
  replace<T extends CrispDataInputOf<S>>(data: T & CheckedInput<T, S>): void;
  /** Delete every key. */
  clear(): void;
  /** A contributor whose keys are tracked apart from others'; see `CrispDataSource`. */
  source(options?: CrispDataSourceOptions): CrispDataSource<S>;
  /**
   * Tell the client who is signed in (`null`: signed out). A different user than the session's (or signing out)
   * sets `CRISP_TOKEN_ID`, resets the Crisp session and forgets every value of the previous user; data set
   * before the switch in the same turn is dropped, so set data after `identify`.
   */
  identify(user: CrispUser | null): void;
  /** Send what is pending now instead of at the next microtask. */
  flush(): Promise<void>;
  subscribe(listener: () => void): () => void;
  getSnapshot(): CrispDataSnapshot<S>;
  /** Detach from the chat box; later calls do nothing. */
  destroy(): void;
}

type Entry = { value: CrispWireValue; seq: number };
type Layer = Map<string, Entry>;
type SourceState = { layer: Layer; input: Map<string, CrispWireValue>; error: CrispDataError | null };
type Identity = Pick<CrispUser, "email" | "emailSignature" | "nickname" | "phone">;

/**
 * Creates the client that keeps Crisp's session data equal to what your app says, one push per turn.
 *
 * @example
 * const crisp = createCrispData<{ plan: string; seats: number }>();
 * crisp.identify({ id: user.id, email: user.email });
 * crisp.set({ plan: "pro", seats: 3 });
 */
/* @__NO_SIDE_EFFECTS__ */
export function createCrispData<S extends CrispDataSchema = CrispDataSchema>(
  options: CrispDataOptions = {},
): CrispDataClient<S> {
  const transport = options.transport ?? browserTransport();
  const memory = persistence(options.persist === false ? undefined : options.persist === true || !options.persist ? transport.storage : options.persist, transport.websiteId);
  const remembered = memory.read();
  const release = transport.attach?.();
  const listeners = new Set<() => void>();
  const direct: Layer = new Map();
  const sources = new Set<SourceState>();

  let seq = 0;
  // What Crisp's session holds, as far as we know; keys sent before a reload have unknown values.
  let sent = new Map<string, CrispWireValue>();
  let staleKeys: string[] | undefined = remembered?.keys;
  // The user the browser's Crisp session belongs to: known from a previous page when `user` is still null.
  let sessionUserId: string | null = remembered?.user ?? null;
  let user: CrispUser | null = null;
  let sentIdentity: Identity = {};
  let resetPending = false;
  let touched = false;
  let everSent = false;
  let scheduled = false;
  let injected = false;
  let destroyed = false;
  let snapshot: CrispDataSnapshot<S> | undefined;

  const write = (layer: Layer, entries: Map<string, CrispWireValue>, always: boolean) => {
    for (const [key, value] of entries) {
      if (always || layer.get(key)?.value !== value) layer.set(key, { value, seq: ++seq });
    }
  };

  // Latest write wins across contributors; `""` entries are deletions that win the same way.
  const desired = () => {
    const best = new Map<string, Entry>();
    for (const layer of [direct, ...[...sources].map((source) => source.layer)]) {
      for (const [key, entry] of layer) if (!(best.get(key)?.seq! > entry.seq)) best.set(key, entry);
    }
    const data = new Map<string, CrispWireValue>();
    for (const [key, entry] of best) if (entry.value !== "") data.set(key, entry.value);
    return data;
  };

  const identityCommands = (): CrispCommand[] => {
    const commands: CrispCommand[] = [];
    if (!user) return commands;
    const { email, emailSignature, nickname, phone } = user;
    if (email && (email !== sentIdentity.email || emailSignature !== sentIdentity.emailSignature)) {
      commands.push(["set", "user:email", emailSignature ? [email, emailSignature] : [email]]);
    }
    if (nickname && nickname !== sentIdentity.nickname) commands.push(["set", "user:nickname", [nickname]]);
    if (phone && phone !== sentIdentity.phone) commands.push(["set", "user:phone", [phone]]);
    return commands;
  };

  const dataPairs = (want: Map<string, CrispWireValue>) => {
    const pairs: Array<[string, CrispWireValue]> = [];
    for (const [key, value] of want) if (sent.get(key) !== value) pairs.push([key, value]);
    for (const key of sent.keys()) if (!want.has(key)) pairs.push([key, ""]);
    if (staleKeys && touched) for (const key of staleKeys) if (!want.has(key) && !sent.has(key)) pairs.push([key, ""]);
    return pairs;
  };

  const tokenPending = () => !!user && !transport.isLoaded() && (user.tokenId || undefined) !== transport.getToken();

  const refresh = () => {
    const data = desired();
    const pending =
      resetPending || tokenPending() || identityCommands().length > 0 || dataPairs(data).length > 0;
    const error = [...sources].reduce<CrispDataError | null>((last, source) => source.error ?? last, null);
    const status = error ? "error" : pending ? "pending" : everSent ? "synced" : "idle";
    const previous = snapshot;
    if (
      previous &&
      previous.user === user &&
      previous.status === status &&
      previous.error === error &&
      sameData(previous.data, data)
    ) {
      return;
    }
    snapshot = Object.freeze({
      user,
      data: Object.freeze(Object.fromEntries(data)) as Readonly<Partial<S>>,
      status,
      error,
    });
    for (const listener of [...listeners]) listener();
  };

  const send = () => {
    scheduled = false;
    if (destroyed) return;
    if (resetPending) {
      // Crisp reads the token only when a session starts: it must be in place before the reset.
      transport.setToken(user?.tokenId || undefined);
      transport.push(["do", "session:reset"]);
      resetPending = false;
      everSent = true;
    } else if (tokenPending()) {
      transport.setToken(user?.tokenId || undefined);
    }
    for (const command of identityCommands()) {
      transport.push(command);
      everSent = true;
    }
    if (user) sentIdentity = { ...user };
    const want = desired();
    const pairs = dataPairs(want);
    if (pairs.length) {
      transport.push(["set", "session:data", [pairs]]);
      everSent = true;
    }
    sent = want;
    if (touched) staleKeys = undefined;
    // A deletion nobody else contributes to has done its job once sent.
    for (const [key, entry] of direct) {
      if (entry.value === "" && ![...sources].some((source) => source.layer.has(key))) direct.delete(key);
    }
    memory.write(sessionUserId, [...sent.keys(), ...(staleKeys ?? [])]);
    if (!injected) {
      injected = true;
      transport.inject?.();
    }
    refresh();
  };

  const changed = () => {
    if (destroyed) return;
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(send);
    }
    refresh();
  };

  const deleteAll = (keys: Iterable<string>) => write(direct, new Map([...keys].map((key) => [key, ""])), true);

  // A new user starts an empty session: forget what was sent and every value, but keep contributors, whose
  // current input is what the screen shows now and so belongs to the new user.
  const startSession = (forgetData: boolean) => {
    resetPending = true;
    sent = new Map();
    staleKeys = undefined;
    sentIdentity = {};
    if (!forgetData) return;
    direct.clear();
    for (const source of sources) {
      source.layer.clear();
      write(source.layer, source.input, true);
    }
  };

  const client: CrispDataClient<S> = {
    set(data) {
      const entries = validateInputStrict(data);
      touched = true;
      write(direct, entries, true);
      changed();
    },
    unset(...keys) {
      const invalid = keys.filter((key) => !isValidKey(key));
      if (invalid.length) throw new CrispDataError(invalid.map((key) => ({ key, code: "invalid_key" })));
      touched = true;
      deleteAll(keys);
      changed();
    },
    replace(data) {
      const entries = validateInputStrict(data);
      touched = true;
      deleteAll([...desired().keys()].filter((key) => !entries.has(key)));
      write(direct, entries, true);
      changed();
    },
    clear() {
      touched = true;
      deleteAll(desired().keys());
      changed();
    },
    source(sourceOptions = {}) {
      const state: SourceState = { layer: new Map(), input: new Map(), error: null };
      let reported = new Set<string>();
      let disposed = false;
      sources.add(state);
      return {
        get error() {
          return state.error;
        },
        set(data) {
          if (disposed || destroyed) return null;
          const { entries, issues } = validateInput(data);
          const faulty = new Set(issues.map((issue) => issue.key));
          for (const key of state.layer.keys()) if (!entries.has(key) && !faulty.has(key)) state.layer.delete(key);
          write(state.layer, entries, false);
          state.input = new Map([...state.layer].map(([key, entry]) => [key, entry.value]));
          state.error = issues.length ? new CrispDataError(issues) : null;
          report(issues);
          touched = true;
          changed();
          return state.error;
        },
        dispose({ keep = false } = {}) {
          if (disposed) return;
          disposed = true;
          sources.delete(state);
          // Kept keys become the client's own, at their original write order.
          if (keep) for (const [key, entry] of state.layer) if (!(direct.get(key)?.seq! > entry.seq)) direct.set(key, entry);
          changed();
        },
      };

      function report(issues: CrispDataIssue[]) {
        const current = new Set(issues.map((issue) => `${issue.key}\0${issue.code}`));
        const fresh = issues.filter((issue) => !reported.has(`${issue.key}\0${issue.code}`));
        reported = current;
        if (!fresh.length) return;
        const error = new CrispDataError(fresh);
        sourceOptions.onError?.(error);
        options.onError?.(error);
      }
    },
    identify(next) {
      if (next && (typeof next.id !== "string" || !next.id)) {
        throw new CrispDataError([{ key: "id", code: "invalid_user" }]);
      }
      const nextId = next ? next.id : null;
      if (sessionUserId !== null && sessionUserId !== nextId) startSession(true);
      else if (next && transport.isLoaded() && (next.tokenId || undefined) !== transport.getToken()) startSession(false);
      user = next ? Object.freeze({ ...next }) : null;
      sessionUserId = nextId;
      changed();
    },
    flush() {
      if (scheduled) send();
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot as CrispDataSnapshot<S>,
    destroy() {
      destroyed = true;
      listeners.clear();
      release?.();
    },
  };

  refresh();
  // The first batch also injects the chat script, after any identify() of this turn has set the token.
  changed();
  return client;
}

function sameData(a: Readonly<Record<string, unknown>>, b: Map<string, CrispWireValue>): boolean {
  const keys = Object.keys(a);
  return keys.length === b.size && keys.every((key) => b.get(key) === a[key]);
}
