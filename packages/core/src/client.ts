import { windowTransport } from "./browserTransport";
import { callSafely } from "./callbacks";
import { CrispDataError, type CrispDataIssue } from "./errors";
import { openMemory, type SessionOwner } from "./memory";
import type { Held } from "./planning";
import { createSender } from "./sending";
import { type CrispDataSource, type CrispDataSourceOptions, createSource } from "./source";
import type {
  CheckedInput,
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

// Users are compared by content: the bindings pass a new object every render.
const contentOf = (user: CrispUser | null) => JSON.stringify(user && Object.entries(user).sort());

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
  const [memory, save] = openMemory(storage, `crisp-data:${transport.websiteId ?? "default"}`);
  const release = transport.attach?.();
  const listeners = new Set<() => void>();
  const erring = new Set<CrispDataSource>();
  const winners = new Map<string, CrispWireValue>();
  const dirty = new Set<string>();
  // Grows whenever a winner changes: the snapshot's data is rebuilt only then.
  let version = 0;
  const [write, drop, prune, clearLog] = createWriteLog(winners, dirty, () => version++);
  // Direct calls (set, unset, replace, clear) are one more contributor, whose every call is a new write.
  const direct: Writes = new Map();
  const held: Held = new Map(memory.keys.map((key) => [key, null]));
  // Whose conversation the app is in now.
  let owner: SessionOwner = memory.owner;
  let user: CrispUser | null = null;
  const [step, reset, sendStatus, failure] = createSender(
    transport,
    winners,
    dirty,
    held,
    () => user,
    () => owner,
    (key) => prune(direct, key),
    onError,
    save,
  );
  let touched = false;
  let scheduled = false;
  let injected = false;
  let destroyed = false;
  let notifying = false;
  let renotify = false;
  let shown!: Omit<CrispDataSnapshot<S>, "data">;
  let shownVersion = -1;
  let data: Partial<S> | undefined;
  let snapshot: CrispDataSnapshot<S> | undefined;
  // Development only: two hooks passing different users in one render would reset the session every turn.
  let identifiedThisTurn: string | null | undefined;

  // The first write of the page plans the keys the previous page sent: those nobody sets any more are deleted.
  const touch = () => {
    if (!touched) for (const key of held.keys()) dirty.add(key);
    touched = true;
  };

  // The snapshot is built when read: many changes in one turn pay for one copy of the data, or none.
  const updateSnapshot = () => {
    let error = failure();
    for (const source of erring) error ||= source.error;
    const status = error ? "error" : sendStatus();
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

  // A send from inside a push, onError or a listener waits: the running one plans again after every step.
  const send = () => {
    scheduled = false;
    if (process.env.NODE_ENV !== "production") identifiedThisTurn = undefined;
    if (destroyed || !step()) return;
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
    source: (sourceOptions = {}) =>
      createSource<S>(
        [write, drop, winners, direct, erring, () => !destroyed, touch, changed, client.identify, onError],
        sourceOptions,
      ),
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
        reset();
        if (newUser && user) clearLog();
      }
      owner = id;
      // An equal user keeps the same object, so the snapshot (and every binding reading it) stays unchanged.
      const same = contentOf(next) === contentOf(user);
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
