import type { CrispDataValue } from "@crisp-data/core";
import type { EmulatorContact, EmulatorSession, EmulatorStateView } from "../types";

/** A contact as the operator sees it: its profile plus what its conversations tell about it. */
export interface ContactView extends EmulatorContact {
  /**
   * Country of the contact's latest session (most recently updated) with that email, as Crisp shows it; a
   * latest session without a country falls back to the previous one that had one.
   */
  country: string | null;
  /** Session ids with this email, latest first. */
  sessionIds: string[];
}

/**
 * A conversation as the operator sees it: everything but the session's `tokenId`, which would let whoever reads
 * the page resume that user's conversation.
 */
export type OperatorConversation = Omit<EmulatorSession, "tokenId">;

/** One consistent read of the state for a page: lists are sorted latest activity first. */
export interface OperatorSnapshot {
  instanceId: string;
  startedAt: number;
  conversations: OperatorConversation[];
  contacts: ContactView[];
}

const latestFirst = (a: { updatedAt: number; createdAt: number }, b: { updatedAt: number; createdAt: number }) =>
  b.updatedAt - a.updatedAt || b.createdAt - a.createdAt;

export function snapshot(state: EmulatorStateView): OperatorSnapshot {
  const conversations = state
    .sessions()
    .sort(latestFirst)
    .map(({ tokenId: _secret, ...conversation }): OperatorConversation => conversation);
  const contacts = state
    .contacts()
    .sort(latestFirst)
    .map((contact): ContactView => {
      const email = contact.email.toLowerCase();
      // Sessions store emails normalized; lowercase again so a fake or future state cannot split a contact.
      const sessions = conversations.filter((session) => session.email?.toLowerCase() === email);
      return {
        ...contact,
        country: sessions.find((session) => session.country)?.country ?? null,
        sessionIds: sessions.map((session) => session.sessionId),
      };
    });
  return { instanceId: state.instanceId, startedAt: state.startedAt, conversations, contacts };
}

/** Every custom-data key in use, sorted, to list what a template or a condition can refer to. */
export function knownKeys(records: ReadonlyArray<{ data: Readonly<Record<string, CrispDataValue>> }>): string[] {
  return [...new Set(records.flatMap((record) => Object.keys(record.data)))].sort();
}
