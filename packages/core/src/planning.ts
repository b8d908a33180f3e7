import type { CrispCommand, CrispUser } from "./types";
import type { CrispWireValue } from "./values";

/**
 * What the browser's Crisp session holds, as far as a client knows: per key the value sent, `null` (held with a
 * value unknown here: sent before a reload) or `""` (known absent: its deletion was sent). A key not listed is
 * known absent after a reset (`fresh`), and unknown before one: another script or the backend may have set it.
 */
export type Held = Map<string, CrispWireValue | null>;

/** The `session:data` pairs that make Crisp hold `winners` for the `dirty` keys; costs what the dirty keys cost. */
export function planData(
  dirty: Set<string>,
  winners: Map<string, CrispWireValue>,
  held: Held,
  fresh: boolean,
): Array<[string, CrispWireValue]> {
  const pairs: Array<[string, CrispWireValue]> = [];
  for (const key of dirty) {
    const want = winners.get(key) ?? "";
    const have = held.get(key);
    // A deletion is skipped only when the client knows Crisp does not hold the key.
    if (want !== "" ? have !== want : have !== "" && (have !== undefined || !fresh)) pairs.push([key, want]);
  }
  return pairs;
}

/** The identity fields Crisp was sent in this session. */
export type SentIdentity = Partial<Pick<CrispUser, "email" | "emailSignature" | "nickname" | "phone">>;

/** The next identity command `user` needs, and the fields it sends; `undefined` when Crisp has them all. */
export function planIdentity(user: CrispUser | null, sent: SentIdentity): [CrispCommand, SentIdentity] | undefined {
  // One loop for the three identity commands; only the email carries a second argument, its signature.
  for (const field of ["email", "nickname", "phone"] as const) {
    const value = user?.[field];
    const signature = field === "email" ? user?.emailSignature : sent.emailSignature;
    if (value && (value !== sent[field] || signature !== sent.emailSignature)) {
      return [
        ["set", `user:${field}`, signature && field === "email" ? [value, signature] : [value]],
        { [field]: value, emailSignature: signature },
      ];
    }
  }
}
