import { describe, expect, it } from "vitest";
import { knownKeys, snapshot } from "../model";
import { FakeState } from "./fakeState";

describe("snapshot", () => {
  it("sorts by latest activity and gives each contact the country of its latest session with that email", () => {
    const state = new FakeState("instance-m");
    state.addContact({ peopleId: "p1", email: "ada@example.com" });
    state.addSession({ sessionId: "s1", email: "ada@example.com", country: "FR" });
    state.addSession({ sessionId: "s2", email: "ada@example.com", country: "DE" });
    state.addSession({ sessionId: "other", email: "bob@example.com", country: "GB" });
    let snap = snapshot(state);
    expect(snap.instanceId).toBe("instance-m");
    expect(snap.conversations.map((session) => session.sessionId)).toEqual(["other", "s2", "s1"]);
    expect(snap.contacts[0]).toMatchObject({ country: "DE", sessionIds: ["s2", "s1"] });

    state.updateSession("s1", { nickname: "back in France" });
    snap = snapshot(state);
    expect(snap.contacts[0]).toMatchObject({ country: "FR", sessionIds: ["s1", "s2"] });
  });

  it("falls back to an earlier session's country when the latest has none, else null", () => {
    const state = new FakeState();
    state.addContact({ peopleId: "p1", email: "ada@example.com" });
    state.addContact({ peopleId: "p2", email: "solo@example.com" });
    state.addSession({ sessionId: "s1", email: "ada@example.com", country: "FR" });
    state.addSession({ sessionId: "s2", email: "ada@example.com", country: null });
    const contacts = snapshot(state).contacts;
    expect(contacts.find((contact) => contact.peopleId === "p1")?.country).toBe("FR");
    expect(contacts.find((contact) => contact.peopleId === "p2")).toMatchObject({ country: null, sessionIds: [] });
  });

  it("matches session emails to contacts ignoring case", () => {
    const state = new FakeState();
    state.addContact({ peopleId: "p1", email: "ada@example.com" });
    state.addSession({ sessionId: "s1", email: "Ada@Example.com", country: "FR" });
    expect(snapshot(state).contacts[0]?.sessionIds).toEqual(["s1"]);
  });
});

describe("knownKeys", () => {
  it("lists every key once, sorted", () => {
    expect(knownKeys([{ data: { b: 1, a: true } }, { data: { a: "x", c: "y" } }, { data: {} }])).toEqual([
      "a",
      "b",
      "c",
    ]);
  });
});
