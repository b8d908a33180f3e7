import type { CrispCommand, CrispUser } from "./types";
import type { CrispWireValue } from "./values";
import type { WriteLog } from "./writeLog";

/**
 * What the browser's Crisp session holds, as far as this client knows: per key the value sent, `null` (held with
 * a value unknown here: sent before a reload) or `""` (known absent: its deletion was sent). A key not listed is
 * known absent after a reset (`fresh`), and unknown before one: another script or the backend may have set it.
 */
export interface HeldSession {
  held: Map<string, CrispWireValue | null>;
  fresh: boolean;
}

/** The `session:data` pairs that make Crisp hold the log's winners; O(dirty keys). */
export function planData(log: WriteLog, session: HeldSession): Array<[string, CrispWireValue]> {
  const pairs: Array<[string, CrispWireValue]> = [];
  for (const key of log.dirty) {
    const want = log.winners.get(key) ?? "";
    const have = session.held.get(key);
    // A deletion is skipped only when the client knows Crisp does not hold the key.
    const needed = want !== "" ? have !== want : have !== "" && (have !== undefined || !session.fresh);
    if (needed) pairs.push([key, want]);
  }
  return pairs;
}

export function commitData(session: HeldSession, pairs: ReadonlyArray<[string, CrispWireValue]>): void {
  for (const [key, value] of pairs) {
    if (value === "" && session.fresh) session.held.delete(key);
    else session.held.set(key, value);
  }
}

/** The identity fields Crisp was sent in this session. */
export type SentIdentity = Partial<Pick<CrispUser, "email" | "emailSignature" | "nickname" | "phone">>;

/** The next identity command `user` needs, and the fields it sends; `undefined` when Crisp has them all. */
export function planIdentity(user: CrispUser | null, sent: SentIdentity): [CrispCommand, SentIdentity] | undefined {
  if (!user) return;
  const { email, emailSignature } = user;
  if (email && (email !== sent.email || emailSignature !== sent.emailSignature)) {
    return [["set", "user:email", emailSignature ? [email, emailSignature] : [email]], { email, emailSignature }];
  }
  for (const field of ["nickname", "phone"] as const) {
    const value = user[field];
    if (value && value !== sent[field]) return [["set", `user:${field}`, [value]], { [field]: value }];
  }
}
