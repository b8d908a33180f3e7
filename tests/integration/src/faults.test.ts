import type { CrispDataValue } from "@crisp-data/core";
import { afterEach, describe, expect, it } from "vitest";
import { emulatorWithClient } from "./helpers";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

type Data = Record<string, CrispDataValue>;

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe("fault injection", () => {
  it("ends in exactly the intended state under 30% faults of every kind, and the report matches the log", async () => {
    const env = await emulatorWithClient(
      { faults: { rate: 0.3, seed: 42 } },
      // 30% faults: 13 attempts leave a 0.3^13 ≈ 2e-7 chance per request of failing for good. The timeout is
      // small so hung requests cost little, but above loopback latency on a busy CI machine: a request that
      // times out after the emulator answered it would count as a retry the log cannot see.
      { concurrency: 16, timeoutMs: 1_000, retry: { retries: 12, minDelayMs: 2, maxDelayMs: 40, maxWaitMs: 30_000 } },
    );
    open.push(env.emulator);
    const sessions: string[] = [];
    const emails = Array.from({ length: 200 }, (_, i) => `user${i}+tag@example.com`);
    // Setup in batches: 400 parallel POSTs would time out on a busy machine.
    for (let i = 0; i < 200; i += 50) {
      sessions.push(...(await Promise.all(Array.from({ length: 50 }, () => env.createSession()))));
      await Promise.all(emails.slice(i, i + 50).map((email) => env.createContact(email)));
    }
    const before = env.emulator.requestCount();

    const random = seeded(7);
    const expectedSessions = new Map<string, Data>(sessions.map((id) => [id, {}]));
    const expectedContacts = new Map<string, Data>(emails.map((email) => [email, {}]));
    const apply = (current: Data, patch: Record<string, CrispDataValue | null>): Data => {
      const next = { ...current };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === "") delete next[key];
        else next[key] = value;
      }
      return next;
    };
    const promises: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) {
        const n = round * 100 + i;
        const key = `k${Math.floor(random() * 4)}`;
        const patch: Record<string, CrispDataValue | null> = random() < 0.2 ? { [key]: null } : { [key]: n, last: n };
        if (n % 2 === 0) {
          const id = sessions[Math.floor(random() * sessions.length)] ?? "";
          promises.push(env.crisp.setSessionData(env.websiteId, id, patch));
          expectedSessions.set(id, apply(expectedSessions.get(id) ?? {}, patch));
        } else {
          const email = emails[Math.floor(random() * emails.length)] ?? "";
          if (random() < 0.05) {
            const replacement = { replaced: n };
            promises.push(env.crisp.replaceContactData(env.websiteId, email, replacement));
            expectedContacts.set(email, replacement);
          } else {
            promises.push(env.crisp.setContactData(env.websiteId, email, patch));
            expectedContacts.set(email, apply(expectedContacts.get(email) ?? {}, patch));
          }
        }
      }
      // Let some writes start between rounds, so targets see several writes each, not one coalesced write.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const report = await env.crisp.flush();
    await Promise.all(promises);

    expect(report.failures).toEqual([]);
    // A setup POST that timed out after the emulator answered leaves an extra, untouched session.
    for (const session of env.emulator.sessions()) {
      expect(session.data, session.sessionId).toEqual(expectedSessions.get(session.sessionId) ?? {});
    }
    for (const contact of env.emulator.contacts()) {
      expect(contact.data, contact.email).toEqual(expectedContacts.get(contact.email));
    }

    const log = env.emulator.requests({ since: before });
    const failed = log.filter((r) => r.status === 0 || r.status >= 400);
    const kinds = new Set(failed.map((r) => r.fault));
    expect([...kinds].sort()).toEqual(["420", "429", "500", "503", "reset", "timeout"]);
    expect(report.requests).toBe(log.length);
    // Nothing failed for good, so every failed attempt was followed by a retry.
    expect(report.retries).toBe(failed.length);
    expect(report.retries).toBeGreaterThan(100);
  }, 180_000);
});
