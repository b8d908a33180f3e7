import { isRecord } from "../http/respond";
import type { EmulatorState } from "../state";
import { checkData, invalidData, isEmail, notFound, type RestAnswer, resolved } from "./validation";

export interface RouteContext {
  state: EmulatorState;
  websiteId: string;
  params: Record<string, string>;
  body: unknown;
}

export interface Route {
  method: string;
  /** The path template, also the rate-limit route name. */
  template: string;
  handle(context: RouteContext): RestAnswer;
}

const CONVERSATION = "/v1/website/:website_id/conversation";
const META = "/v1/website/:website_id/conversation/:session_id/meta";
const PEOPLE_DATA = "/v1/website/:website_id/people/data/:people_id";
const PROFILE = "/v1/website/:website_id/people/profile";
const PROFILE_ONE = "/v1/website/:website_id/people/profile/:people_id";

/** The REST v1 subset the emulator serves, with Crisp's paths and bodies. */
export const routes: Route[] = [
  {
    method: "POST",
    template: CONVERSATION,
    handle: ({ state, websiteId }) => resolved({ session_id: state.createSession({ websiteId }).sessionId }),
  },
  {
    method: "GET",
    template: META,
    handle({ state, websiteId, params }) {
      const session = state.getSession(websiteId, params.session_id ?? "");
      if (!session) return notFound("conversation not found");
      return resolved({
        nickname: session.nickname,
        email: session.email,
        phone: session.phone,
        avatar: null,
        ip: null,
        subject: null,
        origin: "chat",
        segments: [],
        data: state.sessionData(session),
        device: { geolocation: { country: session.country } },
      });
    },
  },
  {
    method: "PATCH",
    template: META,
    handle({ state, websiteId, params, body }) {
      const session = state.getSession(websiteId, params.session_id ?? "");
      if (!session) return notFound("conversation not found");
      if (!isRecord(body)) return invalidData("body must be a JSON object");
      const { email, nickname, phone } = body;
      if (email !== undefined && !isEmail(email)) return invalidData("email is not a valid email address");
      if (nickname !== undefined && typeof nickname !== "string") return invalidData("nickname must be a string");
      if (phone !== undefined && typeof phone !== "string") return invalidData("phone must be a string");
      const replacement = body.data === undefined ? undefined : checkData(body.data);
      if (replacement && !replacement.ok) return replacement.error;
      // Everything is validated before anything changes: a rejected PATCH leaves no trace.
      if (replacement) state.replaceSessionData(session, replacement.changes);
      if (email !== undefined || nickname !== undefined || phone !== undefined) {
        state.setIdentity(session, { email, nickname, phone });
      }
      return resolved();
    },
  },
  {
    method: "GET",
    template: PEOPLE_DATA,
    handle({ state, websiteId, params }) {
      const contact = state.findContact(websiteId, params.people_id ?? "");
      if (!contact) return notFound("people not found");
      return resolved({ data: state.contactData(contact) });
    },
  },
  {
    method: "PUT",
    template: PEOPLE_DATA,
    handle: (context) => writePeopleData(context, "replace"),
  },
  {
    method: "PATCH",
    template: PEOPLE_DATA,
    handle: (context) => writePeopleData(context, "merge"),
  },
  {
    method: "POST",
    template: PROFILE,
    handle({ state, websiteId, body }) {
      if (!isRecord(body) || !isEmail(body.email)) return invalidData("email is required and must be valid");
      const person = body.person;
      if (person !== undefined && !isRecord(person)) return invalidData("person must be an object");
      const nickname = person?.nickname;
      if (nickname !== undefined && typeof nickname !== "string")
        return invalidData("person.nickname must be a string");
      const data = body.data === undefined ? undefined : checkData(body.data);
      if (data && !data.ok) return data.error;
      const contact = state.createContact({
        websiteId,
        email: body.email,
        nickname: nickname ?? null,
        data: data?.changes,
      });
      if (!contact) return { status: 409, reason: "people_exists", data: { message: "a contact has this email" } };
      return resolved({ people_id: contact.peopleId });
    },
  },
  {
    method: "HEAD",
    template: PROFILE_ONE,
    handle: ({ state, websiteId, params }) =>
      state.findContact(websiteId, params.people_id ?? "") ? resolved() : notFound("people not found"),
  },
];

function writePeopleData({ state, websiteId, params, body }: RouteContext, mode: "replace" | "merge"): RestAnswer {
  const contact = state.findContact(websiteId, params.people_id ?? "");
  if (!contact) return notFound("people not found");
  if (!isRecord(body) || body.data === undefined) return invalidData('body must be {"data": {...}}');
  const checked = checkData(body.data);
  if (!checked.ok) return checked.error;
  if (mode === "replace") state.replaceContactData(contact, checked.changes);
  else state.updateContactData(contact, checked.changes);
  return resolved();
}

/** Finds the route for a method and path; params are URL-decoded (an email may arrive encoded or not). */
export function matchRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.split("/");
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split("/");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? "";
      if (!part.startsWith(":")) return part === segment;
      if (!segment) return false;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
        return true;
      } catch {
        return false;
      }
    });
    if (matches) return { route, params };
  }
  return undefined;
}
