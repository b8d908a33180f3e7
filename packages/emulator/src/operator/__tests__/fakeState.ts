import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorContact, EmulatorSession, EmulatorStateView } from "../../types";
import { handleOperatorRequest } from "../index";

/** An in-memory `EmulatorStateView` the tests change directly; `subscribe` fires after each change. */
export class FakeState implements EmulatorStateView {
  readonly startedAt = Date.parse("2026-01-02T03:04:05Z");
  readonly #sessions: EmulatorSession[] = [];
  readonly #contacts: EmulatorContact[] = [];
  readonly #listeners = new Set<() => void>();
  #clock = this.startedAt;

  constructor(readonly instanceId: string = "instance-a") {}

  sessions(): EmulatorSession[] {
    return this.#sessions.map((session) => ({ ...session, data: { ...session.data } }));
  }

  contacts(): EmulatorContact[] {
    return this.#contacts.map((contact) => ({ ...contact, data: { ...contact.data } }));
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  addSession(init: Partial<EmulatorSession> & { sessionId: string }): void {
    const now = this.#tick();
    this.#sessions.push({
      websiteId: "website-1",
      email: null,
      nickname: null,
      phone: null,
      country: null,
      tokenId: null,
      data: {},
      createdAt: now,
      updatedAt: now,
      ...init,
    });
    this.#notify();
  }

  updateSession(sessionId: string, change: Partial<EmulatorSession>): void {
    const session = this.#sessions.find((candidate) => candidate.sessionId === sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    Object.assign(session, change, { updatedAt: this.#tick() });
    this.#notify();
  }

  addContact(init: Partial<EmulatorContact> & { peopleId: string; email: string }): void {
    const now = this.#tick();
    this.#contacts.push({ websiteId: "website-1", nickname: null, data: {}, createdAt: now, updatedAt: now, ...init });
    this.#notify();
  }

  #tick(): number {
    this.#clock += 1000;
    return this.#clock;
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

export const XSS = "<img src=x onerror=alert(1)>";

/** Two conversations and two contacts, one value of each type, and an XSS probe in a value and a nickname. */
export function seededState(instanceId?: string): FakeState {
  const state = new FakeState(instanceId);
  state.addSession({
    sessionId: "session_ada",
    email: "ada@example.com",
    nickname: "Ada",
    country: "FR",
    data: { plan: "pro", plan_price: 79, is_trialing: false },
  });
  state.addSession({
    sessionId: "session_bob",
    email: "bob@example.com",
    nickname: XSS,
    country: "GB",
    data: { plan: "basic", plan_price: "19", note: XSS },
  });
  state.addContact({
    peopleId: "people_ada",
    email: "ada@example.com",
    nickname: "Ada",
    data: { plan: "pro", plan_price: 79, is_trialing: false },
  });
  state.addContact({
    peopleId: "people_bob",
    email: "bob@example.com",
    nickname: XSS,
    data: { plan: "basic", plan_price: "19", note: XSS },
  });
  return state;
}

/** A loopback server on port 0 that only serves the operator view over `getState()` (swappable for restarts). */
export async function serveOperator(
  getState: () => EmulatorStateView,
  port = 0,
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!handleOperatorRequest(req, res, getState())) res.writeHead(404).end("other");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
