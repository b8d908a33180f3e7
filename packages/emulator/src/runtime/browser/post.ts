/** What the emulator answers a runtime request with: the session as the server holds it. */
export interface SessionAnswer {
  sessionId: string;
  email: string | null;
  nickname: string | null;
  phone: string | null;
  data?: Record<string, unknown>;
  message?: string;
}

/**
 * One JSON POST over XMLHttpRequest (jsdom has it, not fetch). `status` is `0` when nothing came back.
 * text/plain keeps the request "simple": no CORS preflight per command.
 */
export function post(url: string, body: unknown, done: (status: number, answer: SessionAnswer | null) => void): void {
  const xhr = new XMLHttpRequest();
  xhr.open("POST", url, true);
  xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
  xhr.timeout = 10_000;
  xhr.onload = () => {
    let parsed: SessionAnswer | null = null;
    try {
      parsed = JSON.parse(xhr.responseText) as SessionAnswer;
    } catch {
      // Not JSON: treated as no answer.
    }
    done(xhr.status, parsed);
  };
  xhr.onerror = () => done(0, null);
  xhr.ontimeout = () => done(0, null);
  xhr.send(JSON.stringify(body));
}
