import type { CrispDataValue, CrispUser } from "@crisp-data/core";

/** The website id `crisp-emulator` serves when started without `--website-id` (`pnpm demo` passes it too). */
export const DEMO_WEBSITE_ID = "00000000-0000-4000-8000-000000000000";

/** A signed-in user of the demo's pretend SaaS, with the custom data Crisp's own team keeps on its customers. */
export interface DemoUser {
  id: string;
  /** First name, used in the `Sign in as <name>` buttons. */
  name: string;
  nickname: string;
  email: string;
  data: Record<string, CrispDataValue>;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: "usr_3f9c2a71",
    name: "Ada",
    nickname: "Ada Lovelace",
    email: "ada@analytical-engines.example",
    data: {
      user_id: "usr_3f9c2a71",
      website_id: "8b1d6c4e-2f3a-4e5b-9c7d-1a2b3c4d5e6f",
      plan: "unlimited",
      plan_price: 95,
      is_trialing: false,
      websites: 4,
    },
  },
  {
    id: "usr_81be04d2",
    name: "Grace",
    nickname: "Grace Hopper",
    email: "grace@cobol-compilers.example",
    data: {
      user_id: "usr_81be04d2",
      website_id: "0e4f7a92-6b1c-4d3e-8f5a-2c9b7d1e3f40",
      plan: "pro",
      plan_price: 25,
      is_trialing: true,
      websites: 1,
      company: "COBOL Compilers Inc.",
    },
  },
  {
    id: "usr_c7d5e910",
    name: "Alan",
    nickname: "Alan Turing",
    email: "alan@bletchley-labs.example",
    data: {
      user_id: "usr_c7d5e910",
      website_id: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
      plan: "basic",
      plan_price: 0,
      is_trialing: false,
      websites: 2,
      signup_source: "producthunt",
    },
  },
];

const SIGNED_IN_KEY = "crisp-data-demo/signed-in";

/** The user signed in before a reload, like a session cookie would remember. */
export function restoreSignedInUser(): DemoUser | null {
  try {
    const id = window.localStorage.getItem(SIGNED_IN_KEY);
    return DEMO_USERS.find((user) => user.id === id) ?? null;
  } catch {
    return null; // Storage can be blocked (privacy modes, sandboxed iframes): start signed out.
  }
}

export function rememberSignedInUser(user: DemoUser | null): void {
  try {
    if (user) window.localStorage.setItem(SIGNED_IN_KEY, user.id);
    else window.localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // Not remembered across reloads; nothing else changes.
  }
}

/**
 * Follows sign-ins and sign-outs made in another tab of the same site, as real apps do (a `storage` event fires in
 * every other tab when the remembered user changes). Returns the unsubscribe.
 */
export function followSignedInUser(onChange: (user: DemoUser | null) => void): () => void {
  const listener = (event: StorageEvent) => {
    // `key` is null when another tab cleared the whole storage.
    if (event.key === SIGNED_IN_KEY || event.key === null) onChange(restoreSignedInUser());
  };
  window.addEventListener("storage", listener);
  return () => window.removeEventListener("storage", listener);
}

/** What the library needs to know about the user; `id` is never sent to Crisp. */
export function toCrispUser(user: DemoUser): CrispUser {
  return { id: user.id, email: user.email, nickname: user.nickname };
}

/** Turns what was typed into a value: `true`/`false` are booleans, plain numbers are numbers, the rest is text. */
export function parseValue(text: string): CrispDataValue {
  const trimmed = text.trim();
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

/** What saving a key does: an empty value deletes it (Crisp's rule: `""` deletes), anything else sets it. */
export function applyEdit(
  data: Readonly<Record<string, CrispDataValue>>,
  key: string,
  text: string,
): Record<string, CrispDataValue> {
  if (text !== "") return { ...data, [key]: parseValue(text) };
  const { [key]: _deleted, ...rest } = data;
  return rest;
}

export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
