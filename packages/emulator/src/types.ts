import type { CrispDataValue } from "@crisp-data/core";

/** A conversation as the emulator holds it (what `sessions()` lists). */
export interface EmulatorSession {
  sessionId: string;
  websiteId: string;
  email: string | null;
  nickname: string | null;
  phone: string | null;
  /** ISO 3166 alpha-2 region from the browser language (`en-GB` → `GB`), standing in for Crisp's geo-IP. */
  country: string | null;
  /** The `CRISP_TOKEN_ID` the session was started with (session continuity), `null` for anonymous ones. */
  tokenId: string | null;
  data: Record<string, CrispDataValue>;
  /** Milliseconds since epoch. */
  createdAt: number;
  updatedAt: number;
}

/** A contact (people profile) as the emulator holds it (what `contacts()` lists). */
export interface EmulatorContact {
  peopleId: string;
  websiteId: string;
  email: string;
  nickname: string | null;
  /** Contact data, including what sessions with this email aggregated into it. */
  data: Record<string, CrispDataValue>;
  createdAt: number;
  updatedAt: number;
}

/**
 * The read side of the emulator's state shared by the REST API, the browser runtime endpoints and the operator
 * view. `subscribe` fires after every change (used for live updates).
 */
export interface EmulatorStateView {
  readonly startedAt: number;
  /** A random id per emulator process, so a page can tell that the emulator restarted. */
  readonly instanceId: string;
  sessions(): EmulatorSession[];
  contacts(): EmulatorContact[];
  subscribe(listener: () => void): () => void;
}
