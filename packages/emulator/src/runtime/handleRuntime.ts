import type { IncomingMessage, ServerResponse } from "node:http";
import { validateInput } from "@crisp-data/core";
import { BodyError, isRecord, readJsonBody, sendJson } from "../http/respond";
import { isEmail } from "../rest/validation";
import type { EmulatorState, SessionRecord } from "../state";

export const RUNTIME_PREFIX = "/runtime/";

function sessionView(state: EmulatorState, session: SessionRecord) {
  return {
    sessionId: session.sessionId,
    email: session.email,
    nickname: session.nickname,
    phone: session.phone,
    country: session.country,
    data: state.sessionData(session),
  };
}

const optionalString = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/**
 * The endpoints `/l.js` talks to. Not Crisp's protocol (Crisp's chat box uses a socket): a small JSON one, one
 * request per command, answered with the session as the server holds it.
 */
export async function handleRuntime(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  state: EmulatorState,
  websiteId: string,
): Promise<void> {
  const fail = (status: number, message: string) => sendJson(res, status, { error: true, message });
  if (req.method !== "POST") return fail(404, "runtime endpoints take POST");
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    if (error instanceof BodyError) return fail(400, error.message);
    throw error;
  }
  if (!isRecord(body)) return fail(400, "body must be a JSON object");

  if (pathname === "/runtime/sessions") {
    if (body.websiteId !== websiteId) {
      return fail(404, `website ${JSON.stringify(body.websiteId)} is unknown: this emulator serves ${websiteId}`);
    }
    const tokenId = optionalString(body.tokenId);
    const storedId = optionalString(body.sessionId);
    // A token resumes its session wherever it is used; otherwise the id the browser kept resumes, else a new one.
    const resumed = tokenId
      ? state.sessionForToken(websiteId, tokenId)
      : storedId
        ? state.getSession(websiteId, storedId)
        : undefined;
    if (!resumed) state.makeRoomForAnonymous();
    const session = resumed ?? state.createSession({ websiteId, tokenId, country: optionalString(body.country) });
    state.setCountry(session, optionalString(body.country));
    return sendJson(res, 200, sessionView(state, session));
  }

  const match = /^\/runtime\/sessions\/([^/]+)\/commands$/.exec(pathname);
  if (!match?.[1]) return fail(404, "unknown runtime endpoint");
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return fail(400, "the session id in the path is not valid percent-encoding");
  }
  const session = state.getSession(websiteId, id);
  if (!session) return fail(404, "session not found (did the emulator restart?)");

  switch (body.op) {
    case "data": {
      if (!Array.isArray(body.pairs)) return fail(400, "pairs must be an array");
      const pairs = body.pairs.filter(
        (pair): pair is [string, unknown] => Array.isArray(pair) && typeof pair[0] === "string" && pair[1] !== null,
      );
      // The page already warned about invalid pairs; the server re-checks with the same rules and keeps the rest.
      const { entries } = validateInput(Object.fromEntries(pairs));
      state.updateSessionData(session, entries);
      break;
    }
    case "email":
      if (!isEmail(body.value)) return fail(400, "invalid email");
      state.setIdentity(session, { email: body.value });
      break;
    case "nickname":
    case "phone":
      if (typeof body.value !== "string") return fail(400, `${body.op} must be a string`);
      state.setIdentity(session, { [body.op]: body.value });
      break;
    default:
      return fail(400, "unknown op");
  }
  return sendJson(res, 200, sessionView(state, session));
}
