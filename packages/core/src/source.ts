import { callSafely } from "./callbacks";
import { CrispDataError, type CrispDataIssue } from "./errors";
import type { CheckedInput, CrispDataInputOf, CrispDataSchema, CrispUser } from "./types";
import { readInput, validateUser } from "./validate";
import { type CrispWireValue, MAX_KEYS } from "./values";
import type { DropFn, WriteFn, Writes } from "./writeLog";

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

/**
 * What a source needs of its client: the write log, the winning values (for the key cap), the client's own writes
 * (where a disposed source's kept keys go), the sources with a problem (the client's error is one of theirs), and
 * the client's `touch` (called before a write: the page's first one plans the keys the previous page sent),
 * `changed`, `identify` and `onError`. A tuple, so a minifier shortens every name.
 */
export type SourceHost = [
  write: WriteFn,
  drop: DropFn,
  winners: Map<string, CrispWireValue>,
  direct: Writes,
  erring: Set<CrispDataSource>,
  live: () => boolean,
  touch: () => void,
  changed: () => void,
  identify: (user: CrispUser | null) => void,
  onError: ((error: CrispDataError) => void) | undefined,
];

/** A contributor whose keys are tracked apart from others'. Its writes are O(its own keys). */
export function createSource<S extends CrispDataSchema>(
  [write, drop, winners, direct, erring, live, touch, changed, identify, onError]: SourceHost,
  options: CrispDataSourceOptions,
): CrispDataSource<S> {
  // The handle's own writes, by key: its share of the log.
  const own: Writes = new Map();
  let disposed = false;
  let dataError: CrispDataError | null = null;
  let userError: CrispDataError | null = null;
  let reported: string[] = [];
  const report = (problem: CrispDataError) => {
    callSafely(options.onError, problem);
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
      if (disposed || !live()) return handle.error;
      const issues: CrispDataIssue[] = [];
      const issue = (key: string, code: CrispDataIssue["code"]) => issues.push({ key, code });
      const before = handle.error;
      let wrote = false;
      readInput(
        data,
        (key, value) => {
          // A contributor re-rendering the same value must not take the key back from a newer writer.
          if (own.get(key)?.value === value) return;
          if (value !== "" && !winners.has(key) && winners.size >= MAX_KEYS) issue(key, "too_many_keys");
          else {
            touch();
            wrote = write(own, key, value) || wrote;
          }
        },
        issue,
      );
      // Keys left out are dropped, unless the input could not be read: nothing valid is lost. (A key whose
      // new value is invalid is still in the input, so it keeps its last valid value.)
      try {
        if (issues.at(-1)?.code !== "invalid_input") {
          for (const key of own.keys()) if (!data || !Object.hasOwn(data, key)) wrote = drop(own, key) || wrote;
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
      return settle(before, wrote);
    },
    identify(next) {
      const issues = validateUser(next);
      const problem = issues.length ? new CrispDataError(issues) : null;
      const before = handle.error;
      if (problem?.message !== userError?.message) {
        userError = problem;
        if (problem) report(problem);
      }
      if (!problem) identify(next);
      return settle(before, false);
    },
    dispose({ keep = false } = {}) {
      if (disposed) return;
      disposed = true;
      erring.delete(handle);
      for (const [key, mine] of own) {
        // Kept keys become the client's own, keeping their place in the write order.
        if (keep && (direct.get(key)?.seq ?? -1) < mine.seq) write(direct, key, mine.value, mine.seq);
        drop(own, key);
      }
      changed();
    },
  };
  return handle;
}
