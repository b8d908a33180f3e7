import type { Emulator } from "@crisp-data/emulator";

/** Basic-auth headers for the emulator's REST API. */
export function restHeaders(emulator: Emulator): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
    "X-Crisp-Tier": "plugin",
    "Content-Type": "application/json",
  };
}

/** Create contacts `user<i>@example.com` (with `data`), a few at a time, waiting out the emulator's rate limit. */
export async function createContacts(
  emulator: Emulator,
  count: number,
  data: Record<string, string> = {},
): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `user${i}@example.com`);
  let next = 0;
  async function lane() {
    while (next < emails.length) {
      const email = emails[next++] as string;
      for (;;) {
        const response = await fetch(`${emulator.url}/v1/website/${emulator.websiteId}/people/profile`, {
          method: "POST",
          headers: restHeaders(emulator),
          body: JSON.stringify({ email, person: { nickname: email }, data }),
        });
        if (response.ok) break;
        if (response.status !== 429) throw new Error(`contact creation answered ${response.status}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane));
  return emails;
}

/** Resolve once `check` holds, polling (a condition on Redis or the emulator, not a timing). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes (PATCH/PUT) the emulator accepted for one contact path. */
export function writesTo(emulator: Emulator, email: string): number {
  const path = `/v1/website/${emulator.websiteId}/people/data/${encodeURIComponent(email)}`;
  return emulator
    .requests()
    .filter((r) => (r.method === "PATCH" || r.method === "PUT") && r.path === path && r.status === 200).length;
}

/** What a contact holds once every update of the fleet fixtures (`fixtures/producer.ts`) is written. */
export function expectedFleetData(producers: number, rounds: number, created = true): Record<string, unknown> {
  const data: Record<string, unknown> = created ? { keep: "y" } : {};
  for (let p = 0; p < producers; p++) {
    for (let r = 0; r < rounds; r++) data[`p${p}_r${r}`] = true;
    data[`p${p}_last`] = rounds - 1;
    if ((rounds - 1) % 2 === 0) data[`p${p}_flag`] = true;
  }
  return data;
}

/** The contact data the fleet fixtures start from: one key each producer deletes, one nobody touches. */
export function initialFleetData(producers: number): Record<string, string> {
  const data: Record<string, string> = { keep: "y" };
  for (let p = 0; p < producers; p++) data[`legacy_p${p}`] = "x";
  return data;
}
