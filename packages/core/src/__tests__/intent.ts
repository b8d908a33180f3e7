/**
 * A small model of what the app means, written apart from the client: every contributor keeps the writes it made
 * with a timestamp; a key's value is the newest write among live contributors ("" = deleted).
 */
export type Write = { value: string; at: number };
export class Intent {
  clock = 0;
  user: string | null = null;
  direct = new Map<string, Write>();
  sources: Array<{ live: boolean; writes: Map<string, Write> }> = [];

  data(): Record<string, string> {
    const newest = new Map<string, Write>();
    const all = [this.direct, ...this.sources.filter((s) => s.live).map((s) => s.writes)];
    for (const writes of all) {
      for (const [key, write] of writes) if ((newest.get(key)?.at ?? -1) < write.at) newest.set(key, write);
    }
    return Object.fromEntries([...newest].filter(([, write]) => write.value !== "").map(([key, w]) => [key, w.value]));
  }
}
