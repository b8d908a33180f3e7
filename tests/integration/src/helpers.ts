import { type CrispRestClientOptions, createCrispRestClient } from "@crisp-data/core/server";
import { type Emulator, type EmulatorOptions, startEmulator } from "@crisp-data/emulator";

/** A running emulator plus helpers to create conversations and contacts through its REST API. */
export async function emulatorWithClient(
  options: EmulatorOptions = {},
  clientOptions: Partial<CrispRestClientOptions> = {},
) {
  const emulator = await startEmulator({ port: 0, websiteId: "site-1", identifier: "id-1", key: "key-1", ...options });
  const baseUrl = `${emulator.url}/v1/`;
  const crisp = createCrispRestClient({
    identifier: emulator.identifier,
    key: emulator.key,
    baseUrl,
    ...clientOptions,
  });
  const headers = {
    Authorization: `Basic ${Buffer.from(`${emulator.identifier}:${emulator.key}`).toString("base64")}`,
    "X-Crisp-Tier": "plugin",
    "Content-Type": "application/json",
  };

  /** POST with its own retry, so setup survives injected faults (resets, hangs, 5xx). */
  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          // Short: an injected `timeout` fault hangs until we give up.
          signal: AbortSignal.timeout(300),
        });
        const envelope = (await response.json()) as { data: Record<string, unknown> };
        if (response.ok) return envelope.data;
        // An earlier attempt created it but its answer was lost.
        if (response.status === 409) return { exists: true };
      } catch {
        // injected fault; try again
      }
    }
    throw new Error("setup POST kept failing");
  }

  return {
    emulator,
    crisp,
    websiteId: emulator.websiteId,
    async createSession(): Promise<string> {
      return String((await post(`website/${emulator.websiteId}/conversation`, {})).session_id);
    },
    async createContact(email: string): Promise<string> {
      return String(
        (await post(`website/${emulator.websiteId}/people/profile`, { email, person: { nickname: email } })).people_id,
      );
    },
  };
}

export type { Emulator };
