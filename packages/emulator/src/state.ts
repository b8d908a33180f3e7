import { randomUUID } from "node:crypto";
import type { CrispDataValue } from "@crisp-data/core";
import type { EmulatorContact, EmulatorSession, EmulatorStateView } from "./types";

/** Data as stored: a Map, so keys such as `__proto__` (valid under Crisp's rule) stay plain keys. */
type DataMap = Map<string, CrispDataValue>;

interface SessionRecord extends Omit<EmulatorSession, "data"> {
  data: DataMap;
}

interface ContactRecord extends Omit<EmulatorContact, "data"> {
  data: DataMap;
}

/** Changes to apply in order: a value sets the key, `""` deletes it. */
export type DataChanges = Map<string, CrispDataValue>;

export interface IdentityUpdate {
  email?: string;
  nickname?: string;
  phone?: string;
}

/** Emails are matched case-insensitively, as Crisp does for contacts. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Every session and contact the emulator holds, with the aggregation rule: a session with an email writes each
 * of its data changes into that contact (last write wins across sessions, deletions included).
 */
/** How many anonymous sessions (no email) the browser runtime may keep: any page can start one, so cap them. */
export const ANONYMOUS_SESSION_LIMIT = 10_000;

export class EmulatorState implements EmulatorStateView {
  readonly startedAt: number = Date.now();
  readonly #anonymousLimit: number;
  readonly instanceId: string = randomUUID();
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #contacts = new Map<string, ContactRecord>();
  readonly #listeners = new Set<() => void>();

  constructor(options: { anonymousSessionLimit?: number } = {}) {
    this.#anonymousLimit = options.anonymousSessionLimit ?? ANONYMOUS_SESSION_LIMIT;
  }

  sessions(): EmulatorSession[] {
    return [...this.#sessions.values()].map((session) => ({ ...session, data: toObject(session.data) }));
  }

  contacts(): EmulatorContact[] {
    return [...this.#contacts.values()].map((contact) => ({ ...contact, data: toObject(contact.data) }));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  createSession(init: { websiteId: string; country?: string | null; tokenId?: string | null }): SessionRecord {
    const now = Date.now();
    const session: SessionRecord = {
      sessionId: `session_${randomUUID()}`,
      websiteId: init.websiteId,
      email: null,
      nickname: null,
      phone: null,
      country: init.country ?? null,
      tokenId: init.tokenId ?? null,
      data: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    this.#sessions.set(session.sessionId, session);
    this.#notify();
    return session;
  }

  /**
   * Makes room for one more anonymous session: past the limit, the least recently active anonymous one goes
   * (sessions with an email are what operators look at, and they are never dropped).
   */
  makeRoomForAnonymous(): void {
    let anonymous = 0;
    let oldest: SessionRecord | undefined;
    for (const session of this.#sessions.values()) {
      if (session.email) continue;
      anonymous += 1;
      if (!oldest || session.updatedAt < oldest.updatedAt) oldest = session;
    }
    if (anonymous >= this.#anonymousLimit && oldest) this.#sessions.delete(oldest.sessionId);
  }

  getSession(websiteId: string, sessionId: string): SessionRecord | undefined {
    const session = this.#sessions.get(sessionId);
    return session?.websiteId === websiteId ? session : undefined;
  }

  /** The latest session started with this token (Crisp's session continuity). */
  sessionForToken(websiteId: string, tokenId: string): SessionRecord | undefined {
    let found: SessionRecord | undefined;
    for (const session of this.#sessions.values()) {
      if (session.websiteId === websiteId && session.tokenId === tokenId) found = session;
    }
    return found;
  }

  sessionData(session: SessionRecord): Record<string, CrispDataValue> {
    return toObject(session.data);
  }

  setCountry(session: SessionRecord, country: string | null): void {
    if (!country || session.country === country) return;
    session.country = country;
    this.#touch(session);
  }

  /** Merges `changes` into the session (`""` deletes) and into its contact when it has an email. */
  updateSessionData(session: SessionRecord, changes: DataChanges): void {
    if (changes.size === 0) return;
    applyChanges(session.data, changes);
    const contact = session.email ? this.#contactByEmail(session.websiteId, session.email) : undefined;
    if (contact) {
      applyChanges(contact.data, changes);
      contact.updatedAt = Date.now();
    }
    this.#touch(session);
  }

  /** Makes the session's data exactly `data`; keys it drops count as deletions for the contact too. */
  replaceSessionData(session: SessionRecord, data: DataChanges): void {
    const changes: DataChanges = new Map();
    for (const key of session.data.keys()) if (!data.has(key) || data.get(key) === "") changes.set(key, "");
    for (const [key, value] of data) if (value !== "") changes.set(key, value);
    if (changes.size === 0) {
      this.#touch(session);
      return;
    }
    this.updateSessionData(session, changes);
  }

  /** Updates identity; a new email creates its contact when missing and merges the whole session data into it. */
  setIdentity(session: SessionRecord, update: IdentityUpdate): void {
    if (update.nickname !== undefined) session.nickname = update.nickname;
    if (update.phone !== undefined) session.phone = update.phone;
    if (update.email !== undefined) {
      const email = normalizeEmail(update.email);
      session.email = email;
      const contact =
        this.#contactByEmail(session.websiteId, email) ??
        this.#insertContact({ websiteId: session.websiteId, email, nickname: session.nickname });
      applyChanges(contact.data, session.data);
      contact.updatedAt = Date.now();
    }
    // A nickname set after the email (the usual order of a chat box's commands) still names the contact.
    const contact = session.email ? this.#contactByEmail(session.websiteId, session.email) : undefined;
    if (contact && !contact.nickname && session.nickname) contact.nickname = session.nickname;
    this.#touch(session);
  }

  /** Creates a contact, or returns `undefined` when one with this email exists already. */
  createContact(init: {
    websiteId: string;
    email: string;
    nickname: string | null;
    data?: DataChanges;
  }): ContactRecord | undefined {
    if (this.#contactByEmail(init.websiteId, init.email)) return undefined;
    const contact = this.#insertContact(init);
    if (init.data) applyChanges(contact.data, init.data);
    this.#notify();
    return contact;
  }

  /** A contact by its people id or its email (Crisp accepts both in people routes). */
  findContact(websiteId: string, peopleIdOrEmail: string): ContactRecord | undefined {
    const byId = this.#contacts.get(peopleIdOrEmail);
    if (byId?.websiteId === websiteId) return byId;
    return peopleIdOrEmail.includes("@") ? this.#contactByEmail(websiteId, peopleIdOrEmail) : undefined;
  }

  contactData(contact: ContactRecord): Record<string, CrispDataValue> {
    return toObject(contact.data);
  }

  updateContactData(contact: ContactRecord, changes: DataChanges): void {
    applyChanges(contact.data, changes);
    contact.updatedAt = Date.now();
    this.#notify();
  }

  replaceContactData(contact: ContactRecord, data: DataChanges): void {
    contact.data.clear();
    applyChanges(contact.data, data);
    contact.updatedAt = Date.now();
    this.#notify();
  }

  #contactByEmail(websiteId: string, email: string): ContactRecord | undefined {
    const wanted = normalizeEmail(email);
    for (const contact of this.#contacts.values()) {
      if (contact.websiteId === websiteId && contact.email === wanted) return contact;
    }
    return undefined;
  }

  #insertContact(init: { websiteId: string; email: string; nickname: string | null }): ContactRecord {
    const now = Date.now();
    const contact: ContactRecord = {
      peopleId: randomUUID(),
      websiteId: init.websiteId,
      email: normalizeEmail(init.email),
      nickname: init.nickname,
      data: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    this.#contacts.set(contact.peopleId, contact);
    return contact;
  }

  #touch(session: SessionRecord): void {
    session.updatedAt = Date.now();
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        // One broken listener (the operator view) must not break the request that changed the state.
        console.error("[crisp-emulator] state listener failed", error);
      }
    }
  }
}

export type { ContactRecord, SessionRecord };

function applyChanges(target: DataMap, changes: DataChanges): void {
  for (const [key, value] of changes) {
    if (value === "") target.delete(key);
    else target.set(key, value);
  }
}

function toObject(data: DataMap): Record<string, CrispDataValue> {
  // Object.fromEntries defines own properties, so a `__proto__` key stays data instead of a prototype.
  return Object.fromEntries(data);
}
