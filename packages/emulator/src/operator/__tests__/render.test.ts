import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "../html";
import { layout } from "../layout";
import { snapshot } from "../model";
import {
  type Page,
  renderAudience,
  renderContact,
  renderConversation,
  renderOverview,
  renderShortcut,
} from "../render";
import { FakeState, seededState, XSS } from "./fakeState";

/** The page as a browser would build it, without running anything. */
function parse(page: Page): Document {
  const markup = layout({ ...page, instanceId: "instance-a", version: 3, nonce: "n0nce" }).toString();
  const window = new Window();
  return new window.DOMParser().parseFromString(markup, "text/html") as unknown as Document;
}

const texts = (doc: Document, selector: string) =>
  [...doc.querySelectorAll(selector)].map((element) => element.textContent?.trim() ?? "");

describe("html", () => {
  it("escapes interpolated values and keeps nested html", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(html`<p>${XSS}${html`<b>${"&"}</b>`}${["<", ">"]}${null}${undefined}${0}</p>`.toString()).toBe(
      "<p>&lt;img src=x onerror=alert(1)&gt;<b>&amp;</b>&lt;&gt;0</p>",
    );
  });
});

describe("overview", () => {
  it("lists conversations latest first with id link, email, nickname, country and custom data", () => {
    const doc = parse(renderOverview(snapshot(seededState())));
    const rows = doc.querySelectorAll('[data-live="conversations"] tbody tr');
    expect(rows).toHaveLength(2);
    const [bob, ada] = [...rows];
    expect(bob?.getAttribute("data-session")).toBe("session_bob");
    expect(ada?.querySelector("a")?.getAttribute("href")).toBe("/operator/conversation/session_ada");
    expect(texts(doc, '[data-session="session_ada"] td').slice(0, 4)).toEqual([
      "session_ada",
      "ada@example.com",
      "Ada",
      "FR",
    ]);
    expect(texts(doc, '[data-session="session_ada"] .chip')).toEqual([
      "is_trialing = false",
      "plan = pro",
      "plan_price = 79",
    ]);
    // Types stay visible: the number 79 and the string "19" are marked differently.
    expect(doc.querySelector('[data-session="session_ada"] .t-number')?.textContent).toBe("79");
    expect(doc.querySelector('[data-session="session_ada"] .t-boolean')?.textContent).toBe("false");
    expect(doc.querySelector('[data-session="session_bob"] .chip:last-child .t-string')?.textContent).toBe("19");
    expect(doc.querySelector("h1")?.textContent).toBe("Conversations (2)");
  });

  it("lists contacts with aggregated data, the country of their latest session and a stable link", () => {
    const doc = parse(renderOverview(snapshot(seededState())));
    const row = doc.querySelector('[data-contact="people_ada"]');
    expect(row?.querySelector("a")?.getAttribute("href")).toBe("/operator/contact/people_ada");
    expect(texts(doc, '[data-contact="people_ada"] td')).toEqual([
      "ada@example.com",
      "Ada",
      "FR",
      "is_trialing = falseplan = proplan_price = 79",
      "1",
    ]);
  });

  it("says what to do when there is nothing yet", () => {
    const doc = parse(renderOverview(snapshot(new FakeState())));
    expect(doc.querySelector('[data-live="conversations"]')?.textContent).toContain("No conversation yet");
    expect(doc.querySelector('[data-live="contacts"]')?.textContent).toContain("No contact");
  });

  it("renders a missing identity as a dash and empty data as 'no custom data'", () => {
    const state = new FakeState();
    state.addSession({ sessionId: "session_anon" });
    const cells = texts(parse(renderOverview(snapshot(state))), '[data-session="session_anon"] td');
    expect(cells.slice(1, 5)).toEqual(["—", "—", "—", "no custom data"]);
  });
});

describe("conversation detail", () => {
  it("shows identity, session data and links to the contact and the shortcut preview", () => {
    const doc = parse(renderConversation(snapshot(seededState()), "session_ada"));
    expect(doc.querySelector("h1")?.textContent).toBe("Conversation session_ada");
    expect(texts(doc, "dl.data:last-of-type dt")).toEqual(["is_trialing", "plan", "plan_price"]);
    expect(doc.querySelector('a[href="/operator/contact/people_ada"]')?.textContent).toBe("ada@example.com");
    expect(doc.querySelector('a[href="/operator/shortcut?session=session_ada"]')).not.toBeNull();
  });

  it("is a 404 page for an unknown id", () => {
    const page = renderConversation(snapshot(seededState()), "session_gone");
    expect(page.status).toBe(404);
    expect(parse(page).querySelector('[data-live="detail"]')?.textContent).toContain("may have restarted");
  });
});

describe("contact detail", () => {
  it("shows aggregated data, country and the conversations with its email", () => {
    const state = seededState();
    state.addSession({ sessionId: "session_ada_2", email: "ada@example.com", country: "DE" });
    const doc = parse(renderContact(snapshot(state), "people_ada"));
    expect(doc.querySelector("h1")?.textContent).toBe("Contact ada@example.com");
    expect(texts(doc, "dl.data")[0]).toContain("DE");
    expect(texts(doc, "li a")).toEqual(["session_ada_2", "session_ada"]);
    expect(renderContact(snapshot(state), "people_x").status).toBe(404);
  });
});

describe("shortcut preview", () => {
  it("fills placeholders from the chosen conversation and marks missing ones visibly empty", () => {
    const page = renderShortcut(snapshot(seededState()), {
      sessionId: "session_ada",
      template:
        "Hi {{ nickname }}, {{ data.plan }} at {{ data.plan_price }}, trial {{ data.is_trialing }}, {{ data.coupon }}!",
    });
    const doc = parse(page);
    const message = doc.querySelector('[data-live="shortcut"] .message');
    expect(message?.textContent).toBe("Hi Ada, pro at 79, trial false, !");
    expect(message?.getAttribute("data-text")).toBe("Hi Ada, pro at 79, trial false, !");
    const missing = message?.querySelector(".missing");
    expect(missing?.getAttribute("data-missing")).toBe("data.coupon");
    expect(missing?.textContent).toBe("");
    expect(doc.body.textContent).not.toContain("undefined");
    expect(doc.querySelector('[data-live="shortcut"] .errors')?.textContent).toContain("data.coupon");
    expect(doc.querySelector("option[selected]")?.getAttribute("value")).toBe("session_ada");
  });

  it("defaults to the latest conversation and a sample template", () => {
    const doc = parse(renderShortcut(snapshot(seededState()), { sessionId: null, template: null }));
    expect(doc.querySelector("option[selected]")?.getAttribute("value")).toBe("session_bob");
    expect(doc.querySelector("textarea")?.textContent).toContain("{{ data.plan }}");
    expect(doc.querySelector(".message")?.textContent).toContain("basic plan (19 €/month)");
  });

  it("defaults to the latest conversation that has data, not a newer anonymous empty one", () => {
    const state = seededState();
    state.addSession({ sessionId: "session_anon", email: null, data: {} });
    const snap = snapshot(state);
    expect(snap.conversations[0]?.sessionId).toBe("session_anon");
    const doc = parse(renderShortcut(snap, { sessionId: null, template: null }));
    expect(doc.querySelector("option[selected]")?.getAttribute("value")).toBe("session_bob");
    expect(doc.querySelector(".message")?.textContent).toContain("basic plan (19 €/month)");
    // Asked for by id, the empty one is still shown.
    const asked = parse(renderShortcut(snap, { sessionId: "session_anon", template: null }));
    expect(asked.querySelector("option[selected]")?.getAttribute("value")).toBe("session_anon");
  });

  it("falls back to the latest conversation for an unknown id, and says so", () => {
    const doc = parse(renderShortcut(snapshot(seededState()), { sessionId: "session_gone", template: "{{ email }}" }));
    expect(doc.querySelector("[data-fallback]")?.textContent).toBe(
      "Conversation session_gone is not in this emulator: showing the latest one instead.",
    );
    expect(doc.querySelector(".message")?.textContent).toBe("bob@example.com");
    const known = parse(renderShortcut(snapshot(seededState()), { sessionId: "session_ada", template: "x" }));
    expect(known.querySelector("[data-fallback]")).toBeNull();
  });

  it("says so when there is no conversation", () => {
    const doc = parse(renderShortcut(snapshot(new FakeState()), { sessionId: null, template: "x" }));
    expect(doc.querySelector('[data-live="shortcut"]')?.textContent).toContain("No conversation yet");
  });
});

describe("audience preview", () => {
  it("filters contacts by custom data AND country, with a count", () => {
    const doc = parse(renderAudience(snapshot(seededState()), { query: "plan_price > 50\ncountry = FR" }));
    expect(doc.querySelector("[data-count]")?.textContent).toBe("1 of 2 contacts match");
    expect(texts(doc, '[data-live="audience"] tbody tr td:first-child')).toEqual(["ada@example.com"]);
    expect(doc.querySelector('[data-live="audience"]')?.textContent).toContain("data.plan_price > 50 AND country = FR");
  });

  it("compares numeric strings as numbers and booleans as true/false", () => {
    const snap = snapshot(seededState());
    const emails = (query: string) =>
      texts(parse(renderAudience(snap, { query })), '[data-live="audience"] tbody tr td:first-child');
    expect(emails("plan_price < 20")).toEqual(["bob@example.com"]);
    expect(emails("is_trialing = false")).toEqual(["ada@example.com"]);
    expect(emails("plan = PRO")).toEqual(["ada@example.com"]);
    expect(emails("country = gb")).toEqual(["bob@example.com"]);
  });

  it("shows parse errors instead of an audience", () => {
    const doc = parse(renderAudience(snapshot(seededState()), { query: "plan ~ pro" }));
    expect(doc.querySelector(".errors")?.textContent).toContain("unknown operator");
    expect(doc.querySelector("[data-count]")).toBeNull();
  });

  it("uses a default query, lists the known keys and shows everyone for an empty query", () => {
    const snap = snapshot(seededState());
    expect(parse(renderAudience(snap, { query: null })).querySelector("textarea")?.textContent).toBe(
      "plan_price > 50\ncountry = FR",
    );
    const doc = parse(renderAudience(snap, { query: "" }));
    expect(doc.querySelector("[data-count]")?.textContent).toBe("2 of 2 contacts match");
    expect(texts(doc, '[data-live="audience"] .help code')).toEqual(["is_trialing", "note", "plan", "plan_price"]);
  });
});

describe("XSS probe", () => {
  const state = seededState();
  state.addSession({
    sessionId: XSS,
    email: "eve@example.com",
    nickname: XSS,
    country: XSS,
    data: { [XSS]: XSS },
  });
  const snap = snapshot(state);
  const pages: Array<[string, Page]> = [
    ["overview", renderOverview(snap)],
    ["conversation", renderConversation(snap, "session_bob")],
    ["conversation with a hostile id", renderConversation(snap, XSS)],
    ["contact", renderContact(snap, "people_bob")],
    ["shortcut", renderShortcut(snap, { sessionId: "session_bob", template: `${XSS} {{ data.note }} {{ nickname }}` })],
    ["audience", renderAudience(snap, { query: `note = ${XSS}` })],
    ["audience error", renderAudience(snap, { query: XSS })],
  ];

  it.each(pages)("%s: stays text, never markup", (_name, page) => {
    const markup = layout({ ...page, instanceId: "i", version: 0, nonce: "n" }).toString();
    expect(markup).not.toContain("<img");
    expect(markup).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const doc = parse(page);
    expect(doc.querySelectorAll("img, [onerror]")).toHaveLength(0);
    expect(doc.body.textContent).toContain(XSS);
    expect(doc.querySelectorAll("script")).toHaveLength(1);
  });
});

describe("layout", () => {
  it("carries the instance and version for the live script, a nonce'd script and a restart notice", () => {
    const doc = parse(renderOverview(snapshot(seededState())));
    expect(doc.body.getAttribute("data-instance")).toBe("instance-a");
    expect(doc.body.getAttribute("data-version")).toBe("3");
    expect(doc.querySelector("script")?.getAttribute("nonce")).toBe("n0nce");
    expect(doc.querySelector("#restart-banner")?.hasAttribute("hidden")).toBe(true);
    expect(doc.querySelector("#live-status")?.textContent).toBe("Connecting…");
    expect(doc.querySelector('nav a[aria-current="page"]')?.getAttribute("href")).toBe("/");
  });
});
