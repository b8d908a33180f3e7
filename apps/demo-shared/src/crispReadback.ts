/**
 * Reads back what the chat box itself holds, never what the library thinks it sent: the demo's proof that the
 * data arrived. Registers `session:loaded` (fired again after each `session:reset`) and then re-reads
 * `$crisp.get("session:identifier")` and `$crisp.get("session:data")` on a short interval.
 */

export interface CrispHolds {
  /** `true` once the chat box has loaded a session. */
  loaded: boolean;
  sessionId: string | null;
  /** The session's email (`user:email`), `null` for an anonymous visitor. */
  email: string | null;
  data: Record<string, unknown>;
}

type CrispRuntime = { push(command: unknown[]): unknown; get?: (method: string, ...args: unknown[]) => unknown };
type CrispGlobal = { $crisp?: CrispRuntime | unknown[] };

export const EMPTY_HOLDS: CrispHolds = { loaded: false, sessionId: null, email: null, data: {} };

export function watchCrisp(onChange: (holds: CrispHolds) => void, intervalMs = 250): () => void {
  const win = window as unknown as CrispGlobal;
  let last = JSON.stringify(EMPTY_HOLDS);
  let sessionLoaded = false;

  const read = () => {
    const crisp = win.$crisp;
    // `get` throws on the plain queue array Crisp's snippet starts with: only call it once the script replaced it.
    if (!crisp || Array.isArray(crisp) || typeof crisp.get !== "function") return;
    let sessionId: unknown;
    let data: unknown;
    let email: unknown;
    try {
      sessionId = crisp.get("session:identifier");
      data = sessionId ? crisp.get("session:data") : null;
      email = sessionId ? crisp.get("user:email") : null;
    } catch {
      return; // The chat box is still booting.
    }
    const holds: CrispHolds = {
      loaded: sessionLoaded || typeof sessionId === "string",
      sessionId: typeof sessionId === "string" ? sessionId : null,
      email: typeof email === "string" && email ? email : null,
      data: data && typeof data === "object" ? { ...(data as Record<string, unknown>) } : {},
    };
    const json = JSON.stringify(holds);
    if (json !== last) {
      last = json;
      onChange(holds);
    }
  };

  if (!win.$crisp) win.$crisp = [];
  win.$crisp.push([
    "on",
    "session:loaded",
    () => {
      sessionLoaded = true;
      read();
    },
  ]);
  const timer = window.setInterval(read, intervalMs);
  read();
  return () => {
    window.clearInterval(timer);
    win.$crisp?.push(["off", "session:loaded"]);
  };
}
