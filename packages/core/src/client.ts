import { windowTransport } from "./browserTransport";
import { callSafely } from "./callbacks";
import { CrispDataError, type CrispDataIssue } from "./errors";
import { recall, remember, type SessionOwner } from "./memory";
import { type Held, planData, planIdentity, type SentIdentity } from "./planning";
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
import { readInput, validateUser } from "./validate";
import { type CrispWireValue, MAX_KEYS } from "./values";
import { createWriteLog, type Writes } from "./writeLog";

export interface CrispDataOptions {
  /** Where commands go (default: `browserTransport()` in a browser, nothing on the server). */
  transport?: CrispTransport;
  /** Called with each new problem: a source's invalid input (`source.set` never throws) or a failed push. */
  onError?: (error: CrispDataError) => void;
  /**
   * Remember across reloads which user the browser's Crisp session belongs to and which keys were sent, so a
   * different user after a reload gets a fresh session and keys nobody sets any more are deleted.
   * Default: the transport's storage (`localStorage` in a browser). `false` turns it off: no memory and no reset
   * on load, so a page that starts with a different user than the previous page wrote into the same
   * conversation, unless your app resets it.
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
  /** `client.identify(user)`, but an invalid user is returned, kept in `error` and reported instead of thrown. */
  identify(user: CrispUser | null): CrispDataError | null;
  /** The problem with the latest input (or user), `null` once it is valid. */
  readonly error: CrispDataError | null;
  /** Stop contributing: its keys are deleted (or fall back to another contributor), unless `keep`. */
  dispose(options?: { keep?: boolean }): void;
}

export interface CrispDataClient<S extends CrispDataSchema = CrispDataSchema> {
  /** Merge keys. Throws `CrispDataError` (and changes nothing) when any key or value is invalid. */
  set<T extends CrispDataInputOf<S>>(data: CheckedInput<T, S>): void;
  /** Delete keys: `["key", ""]` is sent unless the client knows Crisp does not hold the key. */
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
   * before the switch in the same turn is dropped, so set data after `identify`. Throws `CrispDataError`
   * (`invalid_user`, `invalid_input`) for a user it cannot send.
   */
  identify(user: CrispUser | null): void;
  /** Send what is pending now (and retry a push that threw) instead of at the next microtask. */
  flush(): Promise<void>;
  subscribe(listener: () => void): () => void;
  getSnapshot(): CrispDataSnapshot<S>;
  /** The snapshot as it was when the client was created: what a server render saw, for hydration. */
  getServerSnapshot(): CrispDataSnapshot<S>;
  /** Send what is pending (deletions of disposed sources included), then detach; later calls do nothing. */
  destroy(): void;
}

const sameUser = (a: CrispUser | null, b: CrispUser | null) =>
  a === b || (!!a && !!b && JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort()));

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
  const memory = recall(storage, storageKey);
  const release = transport.attach?.();
  const listeners = new Set<() => void>();
  // Sources whose latest input (or user) has a problem: the snapshot's error is one of theirs.
  const erring = new Set<CrispDataSource<S>>();
  const winners = new Map<string, CrispWireValue>();
  const dirty = new Set<string>();
  // Grows whenever a winner changes: the snapshot's data is rebuilt only then.
  let version = 0;
  const [write, drop, prune, clearLog] = createWriteLog(winners, dirty, () => version++);
  // Direct calls (set, unset, replace, clear) are one more contributor, whose every call is a new write.
  const direct: Writes = new Map();
  const held: Held = new Map(memory.keys.map((key) => [key, null]));
  let fresh = false;
  // Whose conversation the app is in now, and whose the chat box holds as far as pushed (what the next page reads).
  let owner: SessionOwner = memory.owner;
  let pushedOwner: SessionOwner = owner;
  let saved: string | undefined;
  let user: CrispUser | null = null;
  let sentIdentity: SentIdentity = {};
  let resetPending = false;
  let resetToken = false;
  // The user whose token was last put in place outside a reset: a transport that cannot hold one is tried once.
  let tokenUser: CrispUser | null = null;
  // Grows with every reset asked for: a push during which the user changed records nothing for the new session.
  let epoch = 0;
  let touched = false;
  let everSent = false;
  let scheduled = false;
  let sending = false;
  let injected = false;
  let destroyed = false;
  let notifying = false;
  let renotify = false;
  let failure: CrispDataError | null = null;
  let shown!: Omit<CrispDataSnapshot<S>, "data">;
  let shownVersion = -1;
  let data: Partial<S> | undefined;
  let snapshot: CrispDataSnapshot<S> | undefined;
  // Development only: two hooks passing different users in one render would reset the session every turn.
  let identifiedThisTurn: string | null | undefined;

  const tokenNeeded = () =>
    resetPending
      ? !resetToken
      : !!user && user !== tokenUser && !transport.isLoaded() && (user.tokenId || undefined) !== transport.getToken();

  // The first write of the page plans the keys the previous page sent: those nobody sets any more are deleted.
  const touch = () => {
    if (!touched) for (const key of held.keys()) dirty.add(key);
    touched = true;
  };

  // The snapshot is built when read: many changes in one turn pay for one copy of the data, or none.
  const updateSnapshot = () => {
    let error = failure;
    for (const source of erring) error ||= source.error;
    const pending = resetPending || dirty.size > 0 || tokenNeeded() || !!planIdentity(user, sentIdentity);
    const status = error ? "error" : pending ? "pending" : everSent ? "synced" : "idle";
    if (shownVersion === version && shown.user === user && shown.status === status && shown.error === error) {
      return false;
    }
    if (shownVersion !== version) data = undefined;
    shownVersion = version;
    shown = { user, status, error };
    snapshot = undefined;
    return true;
  };
  const getSnapshot = () => {
    data ??= Object.freeze(Object.fromEntries(winners)) as Partial<S>;
    snapshot ??= Object.freeze({ ...shown, data });
    return snapshot;
  };

  // Listeners that change the client are notified again once the round ends, never from inside it.
  const refresh = () => {
    if (notifying) {
      renotify = true;
      return;
    }
    notifying = true;
    do {
      renotify = false;
      if (updateSnapshot()) for (const listener of [...listeners]) callSafely(listener, undefined);
    } while (renotify);
    notifying = false;
  };

  const push = (command: CrispCommand) => {
    transport.push(command);
    everSent = true;
  };

  // One step at a time, in the order Crisp needs (token, reset, identity, data), each planned from the state as
  // it is then: a push that re-enters the client (a switch of user, a flush) is seen by the next step. A step is
  // recorded only once it is on the queue, and only for the session it was meant for.
  const send = () => {
    scheduled = false;
    if (process.env.NODE_ENV !== "production") identifiedThisTurn = undefined;
    // A send from inside a push, onError or a listener waits: the running one plans again after every step.
    if (sending || destroyed) return;
    sending = true;
    let step = "";
    let settled: string[] = [];
    let problem: CrispDataError | null = null;
    try {
      for (let at = epoch; ; at = epoch) {
        const identity = planIdentity(user, sentIdentity);
        if (tokenNeeded()) {
          step = "CRISP_TOKEN_ID";
          transport.setToken(user?.tokenId || undefined);
          if (at === epoch) {
            resetToken = true;
            tokenUser = user;
          }
        } else if (resetPending) {
          step = "session:reset";
          push(["do", "session:reset"]);
          if (at === epoch) {
            resetPending = resetToken = false;
            sentIdentity = {};
            held.clear();
            fresh = true;
            // A reset for a new token keeps the same user's data: all of it is sent again.
            for (const key of winners.keys()) dirty.add(key);
          }
        } else if (identity) {
          step = identity[0][1];
          push(identity[0]);
          if (at === epoch) Object.assign(sentIdentity, identity[1]);
        } else {
          settled = [...dirty];
          const pairs = planData(dirty, winners, held, fresh);
          dirty.clear();
          if (!pairs.length) break;
          step = "session:data";
          push(["set", "session:data", [pairs]]);
          settled = [];
          if (at === epoch) {
            for (const [key, value] of pairs) {
              if (value === "" && fresh) held.delete(key);
              else held.set(key, value);
              if (value === "") prune(direct, key);
            }
          }
        }
      }
    } catch (error) {
      for (const key of settled) dirty.add(key);
      const message = `[crisp-data] ${error}`;
      // The same failure again keeps its error, so it is reported (and re-renders) once.
      problem =
        failure?.key === step && failure.message === message
          ? failure
          : new CrispDataError([{ key: step, code: "push_failed" }], message);
    }
    const news = problem !== failure;
    failure = problem;
    if (problem && news) callSafely(onError, problem);
    sending = false;
    // The next page may trust only an owner whose session was really started: not one whose reset did not go out.
    if (!resetPending) pushedOwner = owner;
    if (storage) {
      const keys = [...held.keys()].filter((key) => held.get(key) !== "");
      const text = pushedOwner === undefined ? "?" : JSON.stringify({ user: pushedOwner, keys });
      if (text !== saved) remember(storage, storageKey, text);
      saved = text;
    }
    if (!injected) {
      injected = true;
      callSafely(() => transport.inject?.(), undefined);
    }
    refresh();
  };

  const changed = () => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(send);
    }
    refresh();
  };

  // Direct calls change nothing when any entry is refused; the cap is checked on the data as it would be after
  // the write, so a replace may swap keys one for one. (Crisp publishes no cap, and we would rather refuse a key
  // than have Crisp drop one silently.)
  const writeDirect = (input: unknown, exact?: boolean) => {
    const entries = new Map<string, CrispWireValue>();
    const issues: CrispDataIssue[] = input == null ? [{ key: "", code: "invalid_input" }] : [];
    readInput(
      input,
      (key, value) => entries.set(key, value),
      (key, code) => issues.push({ key, code }),
    );
    if (exact) for (const key of winners.keys()) if (!entries.has(key)) entries.set(key, "");
    let live = winners.size;
    for (const [key, value] of entries) if (value === "" && winners.has(key)) live--;
    for (const [key, value] of entries) {
      if (value !== "" && !winners.has(key) && ++live > MAX_KEYS) issues.push({ key, code: "too_many_keys" });
    }
    if (issues.length) throw new CrispDataError(issues);
    if (destroyed) return;
    touch();
    for (const [key, value] of entries) write(direct, key, value);
    changed();
  };

  const client: CrispDataClient<S> = {
    set: (data) => writeDirect(data),
    // A deletion is a write of "": the same validation names any invalid key.
    unset: (...keys) => writeDirect(Object.fromEntries(keys.map((key) => [key, ""]))),
    replace: (data) => writeDirect(data, true),
    clear: () => writeDirect({}, true),
    source(sourceOptions = {}) {
      // The handle's own writes, by key: its share of the log.
      const own: Writes = new Map();
      let disposed = false;
      let dataError: CrispDataError | null = null;
      let userError: CrispDataError | null = null;
      let reported: string[] = [];
      const report = (problem: CrispDataError) => {
        callSafely(sourceOptions.onError, problem);
        callSafely(onError, problem);
      };
      const settle = (before: CrispDataError | null, wrote: boolean) => {
        const error = handle.error;
        if (error) erring.add(handle);
        else erring.delete(handle);
        if (wrote || error !== before) changed();
        return error;
      };
      const handle: CrispDataSource<S> = {
        get error() {
          return userError ?? dataError;
        },
        set(data) {
          if (disposed || destroyed) return handle.error;
          const issues: CrispDataIssue[] = [];
          const issue = (key: string, code: CrispDataIssue["code"]) => issues.push({ key, code });
          const before = handle.error;
          const written = version;
          const wanted = dirty.size;
          readInput(
            data,
            (key, value) => {
              // A contributor re-rendering the same value must not take the key back from a newer writer.
              if (own.get(key)?.value === value) return;
              if (value !== "" && !winners.has(key) && winners.size >= MAX_KEYS) issue(key, "too_many_keys");
              else {
                touch();
                write(own, key, value);
              }
            },
            issue,
          );
          // Keys left out are dropped, unless the input could not be read: nothing valid is lost. (A key whose
          // new value is invalid is still in the input, so it keeps its last valid value.)
          try {
            if (issues.at(-1)?.code !== "invalid_input") {
              for (const key of own.keys()) if (!data || !Object.hasOwn(data, key)) drop(own, key);
            }
          } catch {
            issue("", "invalid_input");
          }
          if (issues.length || reported.length) {
            const problems = issues.map((problem) => `${problem.key} ${problem.code}`);
            // The same problems keep the same error object, so a binding storing it does not re-render in a loop.
            if (`${problems}` !== `${reported}`) dataError = issues.length ? new CrispDataError(issues) : null;
            const fresh = issues.filter((_, index) => !reported.includes(problems[index] as string));
            reported = problems;
            if (fresh.length) report(new CrispDataError(fresh));
          }
          return settle(before, written !== version || wanted !== dirty.size);
        },
        identify(next) {
          const issues = validateUser(next);
          const problem = issues.length ? new CrispDataError(issues) : null;
          const before = handle.error;
          if (problem?.message !== userError?.message) {
            userError = problem;
            if (problem) report(problem);
          }
          if (!problem) client.identify(next);
          return settle(before, false);
        },
        dispose({ keep = false } = {}) {
          if (disposed) return;
          disposed = true;
          erring.delete(handle);
          for (const [key, write_] of own) {
            // Kept keys become the client's own, keeping their place in the write order.
            if (keep && (direct.get(key)?.seq ?? -1) < write_.seq) write(direct, key, write_.value, write_.seq);
            drop(own, key);
          }
          changed();
        },
      };
      return handle;
    },
    identify(next) {
      const issues = validateUser(next);
      if (issues.length) throw new CrispDataError(issues);
      if (destroyed) return;
      const id = next ? next.id : null;
      if (process.env.NODE_ENV !== "production") {
        if (identifiedThisTurn !== undefined && identifiedThisTurn !== id) {
          console.warn(
            `[crisp-data] identify() got two different users in one turn (${JSON.stringify(identifiedThisTurn)}, then ${JSON.stringify(id)}): the latest wins. Pass the same user everywhere, or pass it in one place only.`,
          );
        }
        identifiedThisTurn = id;
      }
      // An unknown owner (storage unusable, so the last page's switch may not have been recorded) might be anyone:
      // the page's first identify starts a new conversation, whoever it names.
      const newUser = owner === undefined || (owner !== null && owner !== id);
      const newToken = !!next && transport.isLoaded() && (next.tokenId || undefined) !== transport.getToken();
      if (newUser || newToken) {
        // A new Crisp session: forget what it holds. Leaving a user signed in on this page also forgets every
        // value, sources' included: they set their data again for the new user (the bindings do on their next
        // render or change). What this page set before any user (the remembered owner being someone else, or
        // unknown) is the visitor's own, and is sent again into the new session.
        resetPending = true;
        resetToken = false;
        epoch++;
        if (newUser && user) clearLog();
      }
      owner = id;
      // An equal user keeps the same object, so the snapshot (and every binding reading it) stays unchanged.
      const same = sameUser(next, user);
      if (same && !newUser && !newToken) return;
      if (!same) user = next && Object.freeze({ ...next });
      changed();
    },
    flush() {
      send();
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot,
    getServerSnapshot: () => initial,
    destroy() {
      if (destroyed) return;
      injected = true;
      send();
      destroyed = true;
      listeners.clear();
      release?.();
    },
  };

  updateSnapshot();
  const initial = getSnapshot();
  // Inject the chat script after this turn, once any identify() of the turn has set the token.
  queueMicrotask(() => injected || send());
  return client;
}
