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
  /** The snapshot as it was when the client was created: what a server render saw, for hydration. */
  getServerSnapshot(): CrispDataSnapshot<S>;
  /** Detach from the chat box; later calls do nothing. */
  destroy(): void;
}

/** A contributor's writes: key → [value, write order]; `""` is a deletion that wins like any write. */
type Layer = Map<string, [CrispWireValue, number]>;
type SourceState = { layer: Layer; input: Layer; error: CrispDataError | null };

const signature = (issues: readonly CrispDataIssue[]) => JSON.stringify(issues.map((issue) => [issue.key, issue.code]));

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
  const { persist, onError } = options;
  const transport = options.transport ?? browserTransport();
  const memory = persistence(
    typeof persist === "object" ? persist : persist === false ? undefined : transport.storage,
    transport.websiteId,
  );
  const remembered = memory.read();
  const release = transport.attach?.();
  const listeners = new Set<() => void>();
  // Direct calls (set, unset, replace, clear) are one more contributor, always the newest when they write.
  const direct: SourceState = { layer: new Map(), input: new Map(), error: null };
  const sources = new Set<SourceState>([direct]);

  let clock = 0;
  // What Crisp's session holds, as far as we know. Keys sent before a reload have unknown values.
  let sent = new Map<string, CrispWireValue>();
  let staleKeys = remembered?.keys;
  // Whose Crisp session this browser holds: known from a previous page while `user` is still null.
  let sessionUserId = remembered?.user ?? null;
  let user: CrispUser | null = null;
  let sentIdentity: CrispUser | Record<string, undefined> = {};
  let resetPending = false;
  let touched = false;
  let everSent = false;
  let scheduled = false;
  let injected = false;
  let destroyed = false;
  let snapshot!: CrispDataSnapshot<S>;
  let dataJson = "";
  // Development only: two hooks passing different users in one render would reset the session every turn.
  let identifiedThisTurn: string | null | undefined;

  const write = (state: SourceState, entries: Map<string, CrispWireValue>) => {
    for (const [key, value] of entries) {
      if (state === direct || state.layer.get(key)?.[0] !== value) state.layer.set(key, [value, ++clock]);
    }
  };

  const desired = () => {
    const newest: Layer = new Map();
    for (const { layer } of sources) {
      for (const [key, entry] of layer) if (!(newest.get(key)?.[1]! > entry[1])) newest.set(key, entry);
    }
    const data = new Map<string, CrispWireValue>();
    for (const [key, [value]] of newest) if (value !== "") data.set(key, value);
    return data;
  };

  // Everything the next push would send; empty when Crisp already holds what the app says.
  const plan = () => {
    const commands: CrispCommand[] = resetPending ? [["do", "session:reset"]] : [];
    if (user) {
      const { email, emailSignature } = user;
      if (email && (email !== sentIdentity.email || emailSignature !== sentIdentity.emailSignature)) {
        commands.push(["set", "user:email", emailSignature ? [email, emailSignature] : [email]]);
      }
      for (const field of ["nickname", "phone"] as const) {
        const value = user[field];
        if (value && value !== sentIdentity[field]) commands.push(["set", `user:${field}`, [value]]);
      }
    }
    const want = desired();
    const pairs: Array<[string, CrispWireValue]> = [];
    for (const [key, value] of want) if (sent.get(key) !== value) pairs.push([key, value]);
    // The page's first batch deletes keys sent before a reload that nobody sets any more.
    for (const key of new Set([...sent.keys(), ...(touched ? (staleKeys ?? []) : [])])) {
      if (!want.has(key)) pairs.push([key, ""]);
    }
    if (pairs.length) commands.push(["set", "session:data", [pairs]]);
    const tokenId = user?.tokenId || undefined;
    // Crisp reads the token only when a session starts: it must be in place before a reset or the script load.
    const token = resetPending || (!!user && !transport.isLoaded() && tokenId !== transport.getToken());
    return { commands, want, token, tokenId };
  };

  const refresh = () => {
    const { commands, want, token } = plan();
    const json = JSON.stringify([...want]);
    let error: CrispDataError | null = null;
    for (const source of sources) error = source.error ?? error;
    const status = error ? "error" : commands.length || token ? "pending" : everSent ? "synced" : "idle";
    if (snapshot && json === dataJson && snapshot.user === user && snapshot.status === status && snapshot.error === error) {
      return;
    }
    snapshot = Object.freeze({
      user,
      data: json === dataJson ? snapshot.data : (Object.freeze(Object.fromEntries(want)) as Partial<S>),
      status,
      error,
    });
    dataJson = json;
    for (const listener of [...listeners]) listener();
  };

  const send = () => {
    scheduled = false;
    identifiedThisTurn = undefined;
    if (destroyed) return;
    const { commands, want, token, tokenId } = plan();
    if (token) transport.setToken(tokenId);
    for (const command of commands) transport.push(command);
    everSent ||= commands.length > 0;
    resetPending = false;
    if (user) sentIdentity = user;
    sent = want;
    if (touched) staleKeys = undefined;
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

  const directWrite = (entries: Map<string, CrispWireValue>) => {
    touched = true;
    write(direct, entries);
    changed();
  };

  const deletions = (keys: Iterable<string>) => new Map([...keys].map((key): [string, ""] => [key, ""]));

  // A new session: forget what was sent. On a new user, also every value, but contributors contribute their
  // current input again: it is what the screen shows now, so it belongs to the new user.
  const startSession = (newUser: boolean) => {
    resetPending = true;
    sent = new Map();
    staleKeys = undefined;
    sentIdentity = {};
    if (newUser) {
      for (const source of sources) {
        source.layer.clear();
        if (source !== direct) for (const [key, [value]] of source.input) source.layer.set(key, [value, ++clock]);
      }
    }
  };

  const client: CrispDataClient<S> = {
    set: (data) => directWrite(validateInputStrict(data)),
    unset(...keys) {
      const invalid = keys.filter((key) => !isValidKey(key));
      if (invalid.length) throw new CrispDataError(invalid.map((key) => ({ key, code: "invalid_key" })));
      directWrite(deletions(keys));
    },
    replace(data) {
      const entries = validateInputStrict(data);
      directWrite(new Map([...deletions(desired().keys()), ...entries]));
    },
    clear: () => directWrite(deletions(desired().keys())),
    source(sourceOptions = {}) {
      const state: SourceState = { layer: new Map(), input: new Map(), error: null };
      let reported: string[] = [];
      sources.add(state);
      return {
        get error() {
          return state.error;
        },
        set(data) {
          if (!sources.has(state)) return null;
          const { entries, issues } = validateInput(data);
          const faulty = issues.map((issue) => issue.key);
          // A key whose new value is invalid keeps its last valid value: nothing valid is lost.
          for (const key of state.layer.keys()) if (!entries.has(key) && !faulty.includes(key)) state.layer.delete(key);
          write(state, entries);
          state.input = new Map(state.layer);
          // The same problems keep the same error object, so a binding storing it does not re-render in a loop.
          if (signature(state.error?.issues ?? []) !== signature(issues)) {
            state.error = issues.length ? new CrispDataError(issues) : null;
          }
          const fresh = issues.filter((issue) => !reported.includes(signature([issue])));
          reported = issues.map((issue) => signature([issue]));
          if (fresh.length) {
            const error = new CrispDataError(fresh);
            sourceOptions.onError?.(error);
            onError?.(error);
          }
          touched = true;
          changed();
          return state.error;
        },
        dispose({ keep = false } = {}) {
          if (!sources.delete(state)) return;
          // Kept keys become the client's own, at their original write order.
          if (keep) for (const [key, entry] of state.layer) if (!(direct.layer.get(key)?.[1]! > entry[1])) direct.layer.set(key, entry);
          changed();
        },
      };
    },
    identify(next) {
      if (next && (typeof next.id !== "string" || !next.id)) {
        throw new CrispDataError([{ key: "id", code: "invalid_user" }]);
      }
      const nextId = next ? next.id : null;
      if (process.env.NODE_ENV !== "production" && identifiedThisTurn !== undefined && identifiedThisTurn !== nextId) {
        console.warn(
          `[crisp-data] identify() got two different users in one turn (${JSON.stringify(identifiedThisTurn)}, then ${JSON.stringify(nextId)}): the latest wins. Pass the same user everywhere, or pass it in one place only.`,
        );
      }
      identifiedThisTurn = nextId;
      if (sessionUserId !== null && sessionUserId !== nextId) startSession(true);
      else if (next && transport.isLoaded() && (next.tokenId || undefined) !== transport.getToken()) startSession(false);
      user = next && Object.freeze({ ...next });
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
    getSnapshot: () => snapshot,
    getServerSnapshot: () => initial,
    destroy() {
      destroyed = true;
      listeners.clear();
      release?.();
    },
  };

  refresh();
  const initial = snapshot;
  // Inject the chat script after this turn, once any identify() of the turn has set the token.
  queueMicrotask(() => injected || send());
  return client;
}
