import { windowTransport } from "./browserTransport";
import { CrispDataError, type CrispDataIssue } from "./errors";
import type {
  CheckedInput,
  CrispCommand,
  CrispDataInputOf,
  CrispDataSchema,
  CrispDataSnapshot,
  CrispTransport,
  CrispUser,
  StorageLike,
} from "./types";
import { validateInput, validateInputStrict } from "./validate";
import { type CrispWireValue, MAX_KEYS } from "./values";

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
  set<T extends CrispDataInputOf<S>>(data: CheckedInput<T, S> | null | undefined): CrispDataError | null;
  /** The problem with the latest input, `null` once it is valid. */
  readonly error: CrispDataError | null;
  /** Stop contributing: its keys are deleted (or fall back to another contributor), unless `keep`. */
  dispose(options?: { keep?: boolean }): void;
}

export interface CrispDataClient<S extends CrispDataSchema = CrispDataSchema> {
  /** Merge keys. Throws `CrispDataError` (and changes nothing) when any key or value is invalid. */
  set<T extends CrispDataInputOf<S>>(data: CheckedInput<T, S>): void;
  /** Delete keys. */
  unset(...keys: Array<Extract<keyof S, string>>): void;
  /** Make the data exactly `data`. */
  replace<T extends CrispDataInputOf<S>>(data: CheckedInput<T, S>): void;
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

const canonical = (value: object | null) => JSON.stringify(value && Object.entries(value).sort());

/** A write by one contributor; the log keeps one per contributor and key, oldest first. */
type Write = [owner: object, key: string, value: CrispWireValue];

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
  const transport = options.transport ?? windowTransport();
  const storage = typeof persist === "object" ? persist : persist === false ? undefined : transport.storage;
  const storageKey = `crisp-data:${transport.websiteId ?? "default"}`;
  let remembered: { user?: unknown; keys?: unknown } | undefined;
  try {
    // Any JSON will do: `remembered?.keys` reads nothing from a primitive or null.
    remembered = JSON.parse(storage?.getItem(storageKey) ?? "0");
  } catch {
    // Unreadable memory is no memory: at worst one redundant push.
  }
  const release = transport.attach?.();
  const listeners = new Set<() => void>();
  // Direct calls (set, unset, replace, clear) are one more contributor, whose every call is a new write.
  const direct = {};
  // Latest write wins: a key's value is that of its newest write; `""` is a deletion that wins the same way.
  let log: Write[] = [];
  // What Crisp's session holds, as far as we know. Keys sent before a reload have an unknown value, `null`,
  // which no value equals. (Memory of another shape, another version's, is no memory either.)
  let sent = new Map<string, CrispWireValue | null>();
  if (Array.isArray(remembered?.keys))
    for (const key of remembered.keys) if (typeof key === "string") sent.set(key, null);
  // Whose Crisp session this browser holds: known from a previous page while `user` is still null.
  let sessionUserId = typeof remembered?.user === "string" ? remembered.user : null;
  let user: CrispUser | null = null;
  let sentIdentity: CrispUser | Record<string, undefined> = {};
  let resetPending = false;
  let touched = false;
  let everSent = false;
  let scheduled = false;
  let injected = false;
  let destroyed = false;
  let snapshot!: CrispDataSnapshot<S>;
  // Development only: two hooks passing different users in one render would reset the session every turn.
  let identifiedThisTurn: string | null | undefined;

  // Applies a contributor's entries; returns the keys refused because the data would pass MAX_KEYS keys (Crisp
  // publishes no cap, and we would rather refuse a key than have Crisp drop one silently).
  const write = (owner: object, entries: Map<string, CrispWireValue>) => {
    touched = true;
    const refused: CrispDataIssue[] = [];
    for (const [key, value] of entries) {
      const previous = log.find((entry) => entry[0] === owner && entry[1] === key);
      // A contributor re-rendering the same value must not take the key back from a newer writer.
      if (owner !== direct && previous?.[2] === value) continue;
      const data = desired();
      if (value !== "" && !data.has(key) && data.size >= MAX_KEYS) refused.push({ key, code: "too_many_keys" });
      else log = [...log.filter((entry) => entry !== previous), [owner, key, value]];
    }
    return refused;
  };

  // Direct calls change nothing when any key is refused.
  const writeDirect = (entries: Map<string, CrispWireValue>) => {
    const before = log;
    const refused = write(direct, entries);
    if (refused.length) {
      log = before;
      throw new CrispDataError(refused);
    }
    changed();
  };

  const desired = () => {
    const data = new Map<string, CrispWireValue>();
    for (const [, key, value] of log) data.set(key, value);
    for (const [key, value] of data) if (value === "") data.delete(key);
    return data;
  };

  // Everything the next push would send; empty when Crisp already holds what the app says.
  const plan = () => {
    const commands: CrispCommand[] = resetPending ? [["do", "session:reset"]] : [];
    if (user) {
      // One loop for the three identity commands; only the email carries a second argument, its signature.
      const signature = user.emailSignature;
      for (const field of ["email", "nickname", "phone"] as const) {
        const value = user[field];
        const email = field === "email";
        if (value && (value !== sentIdentity[field] || (email && signature !== sentIdentity.emailSignature))) {
          commands.push(["set", `user:${field}`, email && signature ? [value, signature] : [value]]);
        }
      }
    }
    const want = desired();
    const pairs: Array<[string, CrispWireValue]> = [];
    for (const [key, value] of want) if (sent.get(key) !== value) pairs.push([key, value]);
    // Nothing is deleted before the app first writes: until then `sent` holds only the keys sent before a reload,
    // and the page's first batch deletes those nobody sets any more.
    for (const key of touched ? sent.keys() : []) {
      if (!want.has(key)) pairs.push([key, ""]);
    }
    if (pairs.length) commands.push(["set", "session:data", [pairs]]);
    const tokenId = user?.tokenId || undefined;
    // Crisp reads the token only when a session starts: it must be in place before a reset or the script load.
    const token = resetPending || (!!user && !transport.isLoaded() && tokenId !== transport.getToken());
    return [commands, want, token, tokenId] as const;
  };

  const refresh = () => {
    const [commands, want, token] = plan();
    const data = Object.fromEntries(want) as Partial<S>;
    let error: CrispDataError | null = null;
    for (const source of sources) error = source.error ?? error;
    const status = error ? "error" : commands.length || token ? "pending" : everSent ? "synced" : "idle";
    // Compared sorted: the order keys were written in is not content. (No snapshot yet: `undefined`, never equal.)
    const same = canonical(data) === canonical(snapshot?.data);
    if (same && snapshot.user === user && snapshot.status === status && snapshot.error === error) return;
    snapshot = Object.freeze({ user, data: same ? snapshot.data : Object.freeze(data), status, error });
    for (const listener of [...listeners]) listener();
  };

  const send = () => {
    scheduled = false;
    if (process.env.NODE_ENV !== "production") identifiedThisTurn = undefined;
    if (destroyed) return;
    const [commands, want, token, tokenId] = plan();
    // Commit first: a chat box outside safe mode may throw on a command, and the batch must not be sent twice.
    everSent ||= commands.length > 0;
    resetPending = false;
    if (user) sentIdentity = user;
    if (touched) sent = want;
    if (token) transport.setToken(tokenId);
    for (const command of commands) {
      try {
        transport.push(command);
      } catch (error) {
        onError?.(new CrispDataError([{ key: command[1], code: "push_failed" }], `[crisp-data] ${error}`));
      }
    }
    try {
      storage?.setItem(storageKey, JSON.stringify({ user: sessionUserId, keys: [...sent.keys()] }));
    } catch {
      // A full or blocked storage must never break the app; only reload detection is lost.
    }
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

  const sources = new Set<CrispDataSource<S>>();

  const client: CrispDataClient<S> = {
    set: (data) => writeDirect(validateInputStrict(data)),
    // A deletion is a write of "": the same validation names any invalid key.
    unset: (...keys) => writeDirect(validateInputStrict(Object.fromEntries(keys.map((key) => [key, ""])))),
    replace(data) {
      const entries = validateInputStrict(data);
      writeDirect(new Map([...[...desired().keys()].map((key): [string, ""] => [key, ""]), ...entries]));
    },
    clear: () => client.replace({} as never), // no keys: nothing for the compile-time check to see
    source(sourceOptions = {}) {
      let error: CrispDataError | null = null;
      let reported: string[] = [];
      // The handle is the owner of its writes in the log.
      const handle: CrispDataSource<S> = {
        get error() {
          return error;
        },
        set(data) {
          if (!sources.has(handle)) return null;
          const { entries, issues } = validateInput(data);
          const faulty = issues.map((issue) => issue.key);
          // A key whose new value is invalid keeps its last valid value: nothing valid is lost.
          log = log.filter(([owner, key]) => owner !== handle || entries.has(key) || faulty.includes(key));
          issues.push(...write(handle, entries));
          const problems = issues.map((issue) => `${issue.key} ${issue.code}`);
          const fresh = issues.filter((_, index) => !reported.includes(problems[index] as string));
          // The same problems keep the same error object, so a binding storing it does not re-render in a loop.
          if (`${problems}` !== `${reported}`) error = issues.length ? new CrispDataError(issues) : null;
          reported = problems;
          if (fresh.length) {
            const problem = new CrispDataError(fresh);
            sourceOptions.onError?.(problem);
            onError?.(problem);
          }
          changed();
          return error;
        },
        dispose({ keep = false } = {}) {
          if (!sources.delete(handle)) return;
          // Kept keys become the client's own, at their original write order.
          for (const entry of log) if (keep && entry[0] === handle) entry[0] = direct;
          log = log.filter((entry) => entry[0] !== handle);
          changed();
        },
      };
      sources.add(handle);
      return handle;
    },
    identify(next) {
      if (next && (typeof next.id !== "string" || !next.id)) {
        throw new CrispDataError([{ key: "id", code: "invalid_user" }]);
      }
      const nextId = next ? next.id : null;
      if (process.env.NODE_ENV !== "production") {
        if (identifiedThisTurn !== undefined && identifiedThisTurn !== nextId) {
          console.warn(
            `[crisp-data] identify() got two different users in one turn (${JSON.stringify(identifiedThisTurn)}, then ${JSON.stringify(nextId)}): the latest wins. Pass the same user everywhere, or pass it in one place only.`,
          );
        }
        identifiedThisTurn = nextId;
      }
      const newUser = sessionUserId !== null && sessionUserId !== nextId;
      if (newUser || (next && transport.isLoaded() && (next.tokenId || undefined) !== transport.getToken())) {
        // A new Crisp session: forget what it holds. For a new user, also every value, sources' included: they
        // set their data again for the new user (the bindings do on their next render or change).
        resetPending = true;
        sent = new Map();
        sentIdentity = {};
        if (newUser) log = [];
      }
      // An equal user keeps the same object, so the snapshot (and every binding reading it) stays unchanged.
      user = next && (canonical(next) === canonical(user) ? user : Object.freeze({ ...next }));
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
