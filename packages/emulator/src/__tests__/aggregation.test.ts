import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";
import { rest, site } from "./helpers";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

async function conversationWith(body: unknown): Promise<string> {
  const created = await rest(emulator, "POST", `${site(emulator)}/conversation`);
  const id = created.body?.data.session_id as string;
  const patched = await rest(emulator, "PATCH", `${site(emulator)}/conversation/${id}/meta`, body);
  expect(patched.status).toBe(200);
  return id;
}

describe("session data aggregates into contact data", () => {
  it("creates the contact when a session gets an email and merges the session data into it", async () => {
    await conversationWith({ data: { plan: "pro" } });
    expect(emulator.contacts()).toEqual([]);
    const id = emulator.sessions()[0]?.sessionId as string;
    await rest(emulator, "PATCH", `${site(emulator)}/conversation/${id}/meta`, {
      email: "Ada@Example.com",
      nickname: "Ada",
      data: { plan: "pro", seats: 2 },
    });
    expect(emulator.contacts()).toMatchObject([
      { email: "ada@example.com", nickname: "Ada", data: { plan: "pro", seats: 2 } },
    ]);
    const people = await rest(emulator, "GET", `${site(emulator)}/people/data/ada%40example.com`);
    expect(people.body?.data).toEqual({ data: { plan: "pro", seats: 2 } });
  });

  it("names the contact with a nickname set after the email", async () => {
    const session = await conversationWith({ email: "grace@example.com" });
    expect(emulator.contacts()[0]?.nickname).toBeNull();
    await rest(emulator, "PATCH", `${site(emulator)}/conversation/${session}/meta`, { nickname: "Grace" });
    expect(emulator.contacts()[0]?.nickname).toBe("Grace");
  });

  it("keeps contact keys of its own, and deletes in the contact what a session deletes (last write wins)", async () => {
    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    await rest(emulator, "PATCH", `${site(emulator)}/people/data/a@b.io`, { data: { crm: "x", plan: "free" } });
    const first = await conversationWith({ email: "a@b.io", data: { plan: "pro", seats: 1 } });
    expect(emulator.contacts()[0]?.data).toEqual({ crm: "x", plan: "pro", seats: 1 });

    await conversationWith({ email: "a@b.io", data: { seats: 5 } });
    expect(emulator.contacts()[0]?.data).toEqual({ crm: "x", plan: "pro", seats: 5 });

    // The first session drops `plan` (meta data is replaced whole): the contact loses it too.
    await rest(emulator, "PATCH", `${site(emulator)}/conversation/${first}/meta`, { data: { seats: 1 } });
    expect(emulator.contacts()[0]?.data).toEqual({ crm: "x", seats: 1 });
  });

  it("does not touch a contact from a session without email", async () => {
    await rest(emulator, "POST", `${site(emulator)}/people/profile`, { email: "a@b.io" });
    await conversationWith({ data: { plan: "pro" } });
    expect(emulator.contacts()[0]?.data).toEqual({});
  });

  it("notifies subscribers after every change", async () => {
    let calls = 0;
    const unsubscribe = emulator.state.subscribe(() => calls++);
    await conversationWith({ data: { plan: "pro" } });
    expect(calls).toBe(2);
    unsubscribe();
    await conversationWith({ data: { plan: "pro" } });
    expect(calls).toBe(2);
    expect(emulator.state.instanceId).toMatch(/[0-9a-f-]{36}/);
    expect(emulator.state.startedAt).toBeLessThanOrEqual(Date.now());
  });
});
