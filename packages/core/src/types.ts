/** A value Crisp stores: a string, a finite number or a boolean. */
export type CrispDataValue = string | number | boolean;

/** Custom data as apps write it: `null`, `undefined` and `""` delete the key. */
export type CrispDataInput = Record<string, CrispDataValue | null | undefined>;

/** The shape an app may declare for autocomplete: `createCrispData<{ plan: string; seats: number }>()`. */
export type CrispDataSchema = Record<string, CrispDataValue>;

type KeyChar =
  | "a"
  | "b"
  | "c"
  | "d"
  | "e"
  | "f"
  | "g"
  | "h"
  | "i"
  | "j"
  | "k"
  | "l"
  | "m"
  | "n"
  | "o"
  | "p"
  | "q"
  | "r"
  | "s"
  | "t"
  | "u"
  | "v"
  | "w"
  | "x"
  | "y"
  | "z"
  | "0"
  | "1"
  | "2"
  | "3"
  | "4"
  | "5"
  | "6"
  | "7"
  | "8"
  | "9"
  | "_"
  | "-";

type OnlyKeyChars<S extends string> = S extends `${infer C}${infer Rest}`
  ? C extends KeyChar
    ? OnlyKeyChars<Rest>
    : false
  : true;

/**
 * `true` when a literal key follows Crisp's rule (lowercase a-z, 0-9, `_`, `-`); `true` for plain `string`,
 * whose keys can only be checked at run time. The 50-character cap is checked at run time only.
 */
export type IsValidKey<K extends string> = string extends K ? true : K extends "" ? false : OnlyKeyChars<K>;

/** The message a bad literal key turns into, so the compiler error says what to fix. */
export type InvalidKeyMessage<K extends string> = `'${K}' is not a valid Crisp key: use lowercase a-z, 0-9, _ and -`;

/** The input type for a schema: its keys, each optional and deletable with `null`/`undefined`/`""`. */
export type CrispDataInputOf<S extends CrispDataSchema> = { [K in keyof S]?: S[K] | null | undefined };

/**
 * The type of a `data` parameter: `T` itself, except that an invalid literal key (or one outside a declared schema)
 * must hold a message, so the compile error names the key: `Type 'number' is not assignable to type '"'Bad Key' is
 * not a valid Crisp key: …"'`. Use it alone (`data: CheckedInput<T>`), not intersected with `T`: `number & "…"` is
 * `never`, whose error names nothing.
 */
export type CheckedInput<T, S extends CrispDataSchema = CrispDataSchema> = {
  [K in keyof T]: K extends string
    ? IsValidKey<K> extends true
      ? string extends keyof S
        ? T[K]
        : K extends keyof S
          ? T[K]
          : `'${K}' is not a key of this client's schema`
      : InvalidKeyMessage<K>
    : never;
};

/**
 * The signed-in user. `id` is your stable user id (never sent to Crisp, used to detect a switch of user).
 * `tokenId` is Crisp's session-continuity token: secret and random, from your backend, never an email or id.
 */
export interface CrispUser {
  id: string;
  email?: string;
  /** HMAC-SHA256 of the email for Crisp identity verification (`signEmail` in `@crisp-data/core/server`). */
  emailSignature?: string;
  nickname?: string;
  phone?: string;
  tokenId?: string;
}

/**
 * `idle`: nothing sent yet; `pending`: changes wait for the next push; `synced`: every change is on the `$crisp`
 * queue; `error`: the latest input had invalid entries (the valid ones were still applied).
 */
export type CrispDataStatus = "idle" | "pending" | "synced" | "error";

/** An immutable view of the client; its identity changes only when its content does. */
export interface CrispDataSnapshot<S extends CrispDataSchema = CrispDataSchema> {
  readonly user: Readonly<CrispUser> | null;
  /** What Crisp will hold once the queue is applied. */
  readonly data: Readonly<Partial<S>>;
  readonly status: CrispDataStatus;
  readonly error: import("./errors").CrispDataError | null;
}

/** A `$crisp.push` command, e.g. `["set", "session:data", [[["plan", "pro"]]]]` or `["do", "session:reset"]`. */
export type CrispCommand = readonly [action: string, method: string, ...args: unknown[]];

/**
 * Where a client sends its work. `browserTransport()` writes to `window.$crisp`, `memoryTransport()` records.
 * Implement it to bridge another runtime (an iframe, a native shell).
 */
export interface CrispTransport {
  /** Queue one command for the chat box. */
  push(command: CrispCommand): void;
  /** Set `CRISP_TOKEN_ID` (or clear it with `undefined`). */
  setToken(tokenId: string | undefined): void;
  /** The `CRISP_TOKEN_ID` in effect now. */
  getToken(): string | undefined;
  /** True once the chat script has replaced the `$crisp` queue, so a new token needs a session reset. */
  isLoaded(): boolean;
  /** Inject the chat script, once; called after the first batch is queued. */
  inject?(): void;
  /** Register a client; returns its release. Lets a transport warn when two clients share one chat box. */
  attach?(): () => void;
  /** The website whose chat box this is; scopes what the client remembers across reloads. */
  readonly websiteId?: string | undefined;
  /** Where the client may remember the session's user across reloads (`localStorage` in a browser). */
  readonly storage?: StorageLike | undefined;
}

/** The part of `Storage` the client uses to remember the session across reloads. */
export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;
