import type { CrispDataValue } from "@crisp-data/core";
import { BUILT_IN_FIELDS, fieldLabel, matchesAll, OPERATORS, parseAudience } from "./audience";
import { type Html, html } from "./html";
import type { Section } from "./layout";
import { type ContactView, knownKeys, type OperatorConversation, type OperatorSnapshot } from "./model";
import { fillTemplate, formatValue, missingNames, templateText } from "./template";

/**
 * The operator pages as HTML fragments (the layout adds the document around them). Every value goes through the
 * escaping `html` tag. Parts that change with the state sit in `data-live` regions, which the page's script
 * swaps after each change; text fields stay outside them so typing is never interrupted (the conversation
 * picker is live, and the script submits a pick at once so the URL and the re-rendered picker agree).
 */
export interface Page {
  status: number;
  title: string;
  section: Section;
  content: Html;
}

export const DEFAULT_TEMPLATE =
  "Hi {{ nickname }}, you are on the {{ data.plan }} plan ({{ data.plan_price }} €/month). Anything I can help with?";
export const DEFAULT_AUDIENCE = "plan_price > 50\ncountry = FR";

export const conversationHref = (sessionId: string): string =>
  `/operator/conversation/${encodeURIComponent(sessionId)}`;
export const contactHref = (peopleId: string): string => `/operator/contact/${encodeURIComponent(peopleId)}`;

const time = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const orNone = (text: string | null): Html | string => text ?? html`<span class="none">—</span>`;

/** A typed value: strings as they are, numbers and booleans marked so `50` and `"50"` look different. */
function value(data: CrispDataValue): Html {
  const type = typeof data;
  return html`<span class="v t-${type}" title="${type}">${formatValue(data)}</span>`;
}

function dataChips(data: Readonly<Record<string, CrispDataValue>>): Html {
  const entries = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return html`<span class="none">no custom data</span>`;
  return html`<span class="chips">${entries.map(
    ([key, item]) => html`<span class="chip"><span class="k">${key}</span> = ${value(item)}</span>`,
  )}</span>`;
}

function dataList(data: Readonly<Record<string, CrispDataValue>>): Html {
  const entries = Object.entries(data).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return html`<p class="none">No custom data yet.</p>`;
  return html`<dl class="data">${entries.map(([key, item]) => html`<dt>${key}</dt><dd>${value(item)}</dd>`)}</dl>`;
}

function conversationsTable(conversations: readonly OperatorConversation[]): Html {
  if (conversations.length === 0) {
    return html`<p class="none">No conversation yet: load your app with the emulator's <code>/l.js</code>.</p>`;
  }
  return html`<table><thead><tr><th>Session</th><th>Email</th><th>Nickname</th><th>Country</th><th>Custom data</th><th>Updated (UTC)</th></tr></thead><tbody>${conversations.map(
    (session) =>
      html`<tr data-session="${session.sessionId}"><td data-label="Session"><a class="mono" href="${conversationHref(session.sessionId)}">${session.sessionId}</a></td><td data-label="Email">${orNone(session.email)}</td><td data-label="Nickname">${orNone(session.nickname)}</td><td data-label="Country">${orNone(session.country)}</td><td data-label="Custom data">${dataChips(session.data)}</td><td data-label="Updated (UTC)" class="muted">${time(session.updatedAt)}</td></tr>`,
  )}</tbody></table>`;
}

function contactsTable(contacts: readonly ContactView[]): Html {
  if (contacts.length === 0) return html`<p class="none">No contact: a session gets one when its email is set.</p>`;
  return html`<table><thead><tr><th>Email</th><th>Nickname</th><th>Country</th><th>Custom data</th><th>Conversations</th></tr></thead><tbody>${contacts.map(
    (contact) =>
      html`<tr data-contact="${contact.peopleId}"><td data-label="Email"><a href="${contactHref(contact.peopleId)}">${contact.email}</a></td><td data-label="Nickname">${orNone(contact.nickname)}</td><td data-label="Country">${orNone(contact.country)}</td><td data-label="Custom data">${dataChips(contact.data)}</td><td data-label="Conversations">${contact.sessionIds.length}</td></tr>`,
  )}</tbody></table>`;
}

export function renderOverview(snap: OperatorSnapshot): Page {
  return {
    status: 200,
    title: "Conversations & contacts",
    section: "overview",
    content: html`<section data-live="conversations"><h1>Conversations (${snap.conversations.length})</h1>${conversationsTable(snap.conversations)}</section>
<section data-live="contacts"><h2>Contacts (${snap.contacts.length})</h2><p class="help">A contact aggregates the custom data of every conversation with its email.</p>${contactsTable(snap.contacts)}</section>`,
  };
}

export function renderConversation(snap: OperatorSnapshot, sessionId: string): Page {
  const session = snap.conversations.find((candidate) => candidate.sessionId === sessionId);
  if (!session) return notFound(`Conversation ${sessionId}`);
  const contact = session.email
    ? snap.contacts.find((candidate) => candidate.sessionIds.includes(sessionId))
    : undefined;
  return {
    status: 200,
    title: `Conversation ${session.sessionId}`,
    section: "none",
    content: html`<section data-live="detail"><h1>Conversation <span class="mono">${session.sessionId}</span></h1>
<dl class="data"><dt>Email</dt><dd>${orNone(session.email)}</dd><dt>Nickname</dt><dd>${orNone(session.nickname)}</dd><dt>Phone</dt><dd>${orNone(session.phone)}</dd><dt>Country</dt><dd>${orNone(session.country)}</dd><dt>Contact</dt><dd>${contact ? html`<a href="${contactHref(contact.peopleId)}">${contact.email}</a>` : html`<span class="none">none (no email yet)</span>`}</dd><dt>Started (UTC)</dt><dd>${time(session.createdAt)}</dd><dt>Updated (UTC)</dt><dd>${time(session.updatedAt)}</dd></dl>
<h2>Session data</h2>${dataList(session.data)}
<p><a href="/operator/shortcut?session=${encodeURIComponent(session.sessionId)}">Preview a shortcut with this conversation</a></p></section>`,
  };
}

export function renderContact(snap: OperatorSnapshot, peopleId: string): Page {
  const contact = snap.contacts.find((candidate) => candidate.peopleId === peopleId);
  if (!contact) return notFound(`Contact ${peopleId}`);
  return {
    status: 200,
    title: `Contact ${contact.email}`,
    section: "none",
    content: html`<section data-live="detail"><h1>Contact ${contact.email}</h1>
<dl class="data"><dt>Nickname</dt><dd>${orNone(contact.nickname)}</dd><dt>Country</dt><dd>${orNone(contact.country)}</dd><dt>People id</dt><dd class="mono">${contact.peopleId}</dd><dt>Created (UTC)</dt><dd>${time(contact.createdAt)}</dd></dl>
<h2>Contact data</h2><p class="help">Aggregated from its conversations (latest write wins) plus what the REST API set on the profile.</p>${dataList(contact.data)}
<h2>Conversations (${contact.sessionIds.length})</h2>${
      contact.sessionIds.length === 0
        ? html`<p class="none">None in this emulator.</p>`
        : html`<ul>${contact.sessionIds.map((id) => html`<li><a class="mono" href="${conversationHref(id)}">${id}</a></li>`)}</ul>`
    }</section>`,
  };
}

export function renderShortcut(
  snap: OperatorSnapshot,
  input: { sessionId: string | null; template: string | null },
): Page {
  const template = input.template ?? DEFAULT_TEMPLATE;
  const chosen = snap.conversations.find((candidate) => candidate.sessionId === input.sessionId);
  // By default the latest conversation that has custom data: a fresh anonymous one would fill nothing.
  const session =
    chosen ?? snap.conversations.find((candidate) => Object.keys(candidate.data).length > 0) ?? snap.conversations[0];
  // A stale link (the emulator restarted) falls back to the latest conversation, and says so.
  const fallback =
    input.sessionId && !chosen
      ? html`<p class="errors" data-fallback>Conversation ${input.sessionId} is not in this emulator${session ? ": showing the latest one instead" : ""}.</p>`
      : "";
  const options = snap.conversations.map(
    (candidate) =>
      html`<option value="${candidate.sessionId}"${candidate === session ? html` selected` : ""}>${candidate.email ?? candidate.nickname ?? "anonymous"} · ${candidate.sessionId}</option>`,
  );
  return {
    status: 200,
    title: "Shortcut preview",
    section: "shortcut",
    content: html`<h1>Shortcut preview</h1>
<p class="help">A shortcut is a canned answer. <code>{{ data.key }}</code> is replaced by the conversation's custom data, and <code>{{ email }}</code>, <code>{{ nickname }}</code>, <code>{{ country }}</code> by its profile. A value that is not set stays empty (marked in red here).</p>
<form method="get" action="/operator/shortcut"><label>Conversation <span data-live="shortcut-sessions"><select name="session" data-autosubmit>${options}</select></span></label>
<label for="template">Template</label><textarea id="template" name="template">${template}</textarea><button type="submit">Preview</button></form>
<section data-live="shortcut">${fallback}${session ? shortcutResult(session, template) : html`<p class="none">No conversation yet to fill the template from.</p>`}</section>`,
  };
}

function shortcutResult(session: OperatorConversation, template: string): Html {
  const parts = fillTemplate(template, session);
  const missing = missingNames(parts);
  const rendered = parts.map((part) => {
    if (part.kind === "text") return part.text;
    if (part.kind === "value") return html`<span class="filled" title="${part.name}">${part.text}</span>`;
    return html`<span class="missing" data-missing="${part.name}" title="${part.name} is not set" aria-label="${part.name} is not set"></span>`;
  });
  return html`<h2>As sent to ${session.email ?? session.nickname ?? session.sessionId} (<a class="mono" href="${conversationHref(session.sessionId)}">${session.sessionId}</a>)</h2>
<div class="message" data-text="${templateText(parts)}">${rendered}</div>
${missing.length > 0 ? html`<p class="errors">Not set in this conversation: ${missing.join(", ")}</p>` : html`<p class="muted">Every placeholder is filled.</p>`}
<h2>Available in this conversation</h2>${dataList(session.data)}`;
}

export function renderAudience(snap: OperatorSnapshot, input: { query: string | null }): Page {
  const query = input.query ?? DEFAULT_AUDIENCE;
  return {
    status: 200,
    title: "Campaign audience",
    section: "audience",
    content: html`<h1>Campaign audience preview</h1>
<p class="help">Which contacts a campaign targeting these conditions would reach. One condition per line (or joined with <code>AND</code>); all must hold. Fields: ${BUILT_IN_FIELDS.join(", ")} (country of the contact's latest conversation), or a custom data key (<code>plan</code> or <code>data.plan</code>). Operators: ${OPERATORS.join(" ")}. Numbers compare as numbers, booleans match <code>true</code>/<code>false</code>, text is compared ignoring case.</p>
<form method="get" action="/operator/audience"><label for="q">Conditions</label><textarea id="q" name="q">${query}</textarea><button type="submit">Preview audience</button></form>
<section data-live="audience">${audienceResult(snap, query)}</section>`,
  };
}

function audienceResult(snap: OperatorSnapshot, query: string): Html {
  const keys = knownKeys(snap.contacts);
  const known = html`<p class="help">Custom keys on contacts: ${keys.length > 0 ? keys.map((key, index) => html`${index > 0 ? ", " : ""}<code>${key}</code>`) : "none yet"}.</p>`;
  const { conditions, errors } = parseAudience(query);
  if (errors.length > 0) {
    return html`<ul class="errors">${errors.map((error) => html`<li>${error}</li>`)}</ul>${known}`;
  }
  const audience = snap.contacts.filter((contact) => matchesAll(contact, conditions));
  const summary =
    conditions.length === 0
      ? "No condition: every contact."
      : conditions
          .map((condition) => `${fieldLabel(condition.field)} ${condition.operator} ${condition.value}`)
          .join(" AND ");
  return html`<h2 data-count="${audience.length}">${audience.length} of ${snap.contacts.length} contacts match</h2>
<p class="muted">${summary}</p>${known}${contactsTable(audience)}`;
}

export function notFound(what: string): Page {
  return {
    status: 404,
    title: "Not found",
    section: "none",
    content: html`<section data-live="detail"><h1>Not found</h1><p>${what} is not in this emulator. It may have restarted, which resets its state.</p><p><a href="/">Back to the overview</a></p></section>`,
  };
}
