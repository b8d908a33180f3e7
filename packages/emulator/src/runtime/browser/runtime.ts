import { type CrispDataValue, KEY_PATTERN, MAX_VALUE_LENGTH } from "@crisp-data/core";
import { copyOwn, getOwn, type OwnData, setOwn } from "./ownData";
import { post, type SessionAnswer } from "./post";
import { mountUi } from "./ui";

/**
 * The `$crisp` runtime served at `/l.js`. Key and value rules are `@crisp-data/core`'s, bundled in at build time,
 * so the page and the server agree on what is valid. Built for old and headless browsers alike (jsdom included).
 */

const PREFIX = "[crisp-emulator]";
/** Replaced by the server with its own origin, for pages that hide `document.currentScript`. */
const SERVED_FROM = "__CRISP_EMULATOR_ORIGIN__";

type Identity = { email: string | null; nickname: string | null; phone: string | null };
type Pair = [string, CrispDataValue];
type Op =
  | { kind: "boot"; fresh: boolean; tokenId: string | null; rebooted?: boolean }
  | { kind: "data"; body: { op: "data"; pairs: Pair[] }; rebooted?: boolean }
  | {
      kind: "identity";
      body: { op: "email" | "nickname" | "phone"; value: string; signature?: string };
      rebooted?: boolean;
    };

interface CrispWindow {
  $crisp?: unknown;
  CRISP_WEBSITE_ID?: unknown;
  CRISP_TOKEN_ID?: unknown;
  CRISP_EMULATOR_COUNTRY?: unknown;
}

const w = window as unknown as CrispWindow;

function serverOrigin(): string {
  try {
    // The page may load us from any port: talk to the server the script came from.
    const current = document.currentScript as HTMLScriptElement | null;
    if (current?.src) return new URL(current.src, document.baseURI).origin;
  } catch {
    // Fall back to the origin the server wrote in.
  }
  return SERVED_FROM;
}

function country(): string | null {
  const forced = w.CRISP_EMULATOR_COUNTRY;
  if (typeof forced === "string" && forced) return forced.toUpperCase();
  const parts = (navigator.language || "").split(/[-_]/);
  for (const part of parts.slice(1)) if (/^[A-Za-z]{2}$/.test(part)) return part.toUpperCase();
  return null;
}

function validValue(value: unknown): value is CrispDataValue {
  if (typeof value === "string") return value.length <= MAX_VALUE_LENGTH;
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "boolean";
}

const token = (): string | null => (typeof w.CRISP_TOKEN_ID === "string" && w.CRISP_TOKEN_ID) || null;

function start(websiteId: string): void {
  const origin = serverOrigin();
  // Crisp keeps the session per website in the browser; a reload resumes it.
  const storageKey = `crisp-client/session/${websiteId}`;
  const readStored = (): string | null => {
    try {
      return localStorage.getItem(storageKey);
    } catch {
      return null;
    }
  };
  const writeStored = (id: string | null) => {
    try {
      if (id) localStorage.setItem(storageKey, id);
      else localStorage.removeItem(storageKey);
    } catch {
      // Not remembered across reloads.
    }
  };

  let sessionId: string | null = null;
  let serverData: OwnData = {};
  let identity: Identity = { email: null, nickname: null, phone: null };
  const handlers = new Map<string, (value: unknown) => void>();
  const ops: Op[] = [];
  let running = false;
  let failed = false;
  let panelOpen = false;
  const ui = mountUi(() => setPanel(!panelOpen));

  const fire = (event: string, value: unknown) => {
    const handler = handlers.get(event);
    if (!handler) return;
    try {
      handler(value);
    } catch (error) {
      console.error(`${PREFIX} a ${event} handler threw`, error);
    }
  };

  const adopt = (answer: SessionAnswer) => {
    sessionId = answer.sessionId;
    serverData = copyOwn(answer.data ?? {});
    identity = { email: answer.email, nickname: answer.nickname, phone: answer.phone };
  };

  const run = (op: Op, attempt: number, finish: () => void): void => {
    let path: string;
    let body: unknown;
    if (op.kind === "boot") {
      path = "/runtime/sessions";
      body = { websiteId, tokenId: op.tokenId, sessionId: op.fresh ? null : readStored(), country: country() };
    } else {
      if (!sessionId || failed) {
        finish();
        return;
      }
      path = `/runtime/sessions/${encodeURIComponent(sessionId)}/commands`;
      body = op.body;
    }
    post(origin + path, body, (status, answer) => {
      if (op.kind !== "boot" && status === 404 && !op.rebooted) {
        // The emulator restarted and forgot the session: start one (the token, if any, still applies) and go on.
        op.rebooted = true;
        console.warn(`${PREFIX} the emulator no longer knows this session (restarted?): starting a new one`);
        run({ kind: "boot", fresh: false, tokenId: token() }, 0, () => run(op, 0, finish));
        return;
      }
      if ((status === 0 || status >= 500) && attempt < 5) {
        // The emulator may be restarting or busy: keep the command, try again shortly.
        setTimeout(() => run(op, attempt + 1, finish), 100 * 2 ** attempt);
        return;
      }
      if (status !== 200 || !answer) {
        const what = op.kind === "boot" ? "could not start a session" : "a command was refused";
        console.error(`${PREFIX} ${what} (HTTP ${status}): ${answer?.message ?? `no answer from ${origin}`}`);
        if (op.kind === "boot") failed = true;
        finish();
        return;
      }
      adopt(answer);
      if (op.kind !== "boot") {
        finish();
        return;
      }
      failed = false;
      writeStored(sessionId);
      finish();
      fire("session:loaded", sessionId);
    });
  };

  const pump = () => {
    const next = ops[0];
    if (running || !next) return;
    running = true;
    run(next, 0, () => {
      ops.shift();
      running = false;
      render();
      pump();
    });
  };

  const enqueue = (op: Op) => {
    ops.push(op);
    render();
    pump();
  };

  // What the page sees now: the server's answer with every command still on its way applied on top.
  const view = (): { data: OwnData; user: Identity } => {
    let data = copyOwn(serverData);
    let user: Identity = { ...identity };
    for (const op of ops) {
      if (op.kind === "boot" && op.fresh) {
        data = {};
        user = { email: null, nickname: null, phone: null };
      } else if (op.kind === "data") {
        for (const [key, value] of op.body.pairs) {
          if (value === "") delete data[key];
          else setOwn(data, key, value);
        }
      } else if (op.kind === "identity") {
        user[op.body.op] = op.body.value;
      }
    }
    return { data, user };
  };

  const setData = (args: unknown) => {
    let pairs: unknown[] | null = null;
    if (Array.isArray(args) && typeof args[0] === "string") pairs = [[args[0], args[1]]];
    else if (Array.isArray(args) && Array.isArray(args[0])) pairs = args[0];
    if (!pairs) {
      console.warn(`${PREFIX} ignored set session:data: expected [[[key, value], ...]] or [key, value], got`, args);
      return;
    }
    const valid: Pair[] = [];
    const invalid: string[] = [];
    for (const pair of pairs) {
      if (Array.isArray(pair) && typeof pair[0] === "string" && KEY_PATTERN.test(pair[0]) && validValue(pair[1])) {
        valid.push([pair[0], pair[1]]);
      } else {
        invalid.push(Array.isArray(pair) ? JSON.stringify(String(pair[0])) : JSON.stringify(pair));
      }
    }
    if (invalid.length) {
      console.warn(
        `${PREFIX} ignored invalid session:data pair(s) ${invalid.join(", ")}: keys are 1-50 characters of a-z, ` +
          `0-9, _ and -; values are strings (at most ${MAX_VALUE_LENGTH} characters), finite numbers or booleans ` +
          `("" deletes).`,
      );
    }
    if (valid.length) enqueue({ kind: "data", body: { op: "data", pairs: valid } });
  };

  const setUser = (field: "email" | "nickname" | "phone", args: unknown) => {
    const value: unknown = Array.isArray(args) ? args[0] : undefined;
    const ok =
      typeof value === "string" && value !== "" && (field !== "email" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value));
    if (!ok) {
      console.warn(`${PREFIX} ignored set user:${field}: invalid value`, value);
      return;
    }
    const body: Extract<Op, { kind: "identity" }>["body"] = {
      op: field,
      value: field === "email" ? value.trim().toLowerCase() : value,
    };
    if (field === "email" && Array.isArray(args) && typeof args[1] === "string") body.signature = args[1];
    enqueue({ kind: "identity", body });
  };

  const reset = () => {
    // The old id stays in use for commands queued before the reset; the page stops seeing it at once.
    writeStored(null);
    // Crisp reads the token when a session starts: the one set before this reset is the one that counts.
    enqueue({ kind: "boot", fresh: true, tokenId: token() });
  };

  const handle = (command: unknown) => {
    if (!Array.isArray(command)) {
      console.warn(`${PREFIX} ignored a command that is not an array:`, command);
      return;
    }
    const [action, method, args] = command as [unknown, unknown, unknown];
    if (action === "set") {
      if (method === "session:data") setData(args);
      else if (method === "user:email") setUser("email", args);
      else if (method === "user:nickname") setUser("nickname", args);
      else if (method === "user:phone") setUser("phone", args);
      // Other setters (events, segments, avatar) are accepted and not emulated.
    } else if (action === "do") {
      if (method === "session:reset") reset();
      else if (method === "chat:open" || method === "chat:show") setPanel(true);
      else if (method === "chat:close" || method === "chat:hide") setPanel(false);
      else if (method === "chat:toggle") setPanel(!panelOpen);
    } else if (action === "on") {
      if (typeof args === "function" && typeof method === "string") {
        handlers.set(method, args as (value: unknown) => void);
      } else console.warn(`${PREFIX} ignored on ${String(method)}: expected a function`);
    } else if (action === "off") {
      handlers.delete(String(method));
    } else if (action !== "safe" && action !== "config") {
      console.warn(`${PREFIX} ignored an unknown command`, command);
    }
  };

  const shownSession = (): string | null => (ops.some((op) => op.kind === "boot") ? null : sessionId);

  const get = (method: unknown, key?: unknown): unknown => {
    if (method === "session:identifier") return shownSession();
    const current = view();
    if (method === "session:data") return key == null ? current.data : getOwn(current.data, String(key));
    if (method === "user:email") return current.user.email;
    if (method === "user:nickname") return current.user.nickname;
    if (method === "user:phone") return current.user.phone;
    if (method === "chat:unread:count") return 0;
    console.warn(`${PREFIX} get ${String(method)} is not emulated`);
    return undefined;
  };

  const is = (method: unknown): boolean => {
    if (method === "chat:opened") return panelOpen;
    if (method === "chat:closed") return !panelOpen;
    return method === "chat:visible" || method === "website:available";
  };

  function setPanel(open: boolean) {
    panelOpen = open;
    render();
  }

  function render() {
    const shown = shownSession();
    const current = view();
    ui.render({
      state: failed ? "error" : !shown ? "loading" : ops.length ? "syncing" : "ready",
      sessionId: shown,
      open: panelOpen,
      text:
        `Crisp emulator\nwebsite: ${websiteId}\nsession: ${shown ?? "(starting)"}\n` +
        `email: ${current.user.email ?? "-"}\ndata: ${JSON.stringify(current.data, null, 1)}`,
    });
  }

  const queued: unknown[] = Array.isArray(w.$crisp) ? w.$crisp.slice() : [];
  w.$crisp = {
    __emulator: true,
    push(...commands: unknown[]) {
      for (const command of commands) handle(command);
      return ops.length;
    },
    get,
    is,
  };
  enqueue({ kind: "boot", fresh: false, tokenId: token() });
  for (const command of queued) handle(command);
}

const already = w.$crisp as { __emulator?: unknown } | undefined;
if (!already?.__emulator) {
  const websiteId = w.CRISP_WEBSITE_ID;
  if (typeof websiteId === "string" && websiteId) start(websiteId);
  else console.error(`${PREFIX} window.CRISP_WEBSITE_ID is not set, so the chat box does not start.`);
}
