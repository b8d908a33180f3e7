import { Crisp } from "crisp-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../server";

let emulator: Emulator;
let client: InstanceType<typeof Crisp>;
beforeEach(async () => {
  emulator = await startEmulator();
  client = new Crisp();
  client.setRestHost(emulator.url);
  client.authenticateTier("plugin", emulator.identifier, emulator.key);
});
afterEach(() => emulator.close());

// crisp-api types the people data body as the bare map, while the REST API takes {"data": {...}} (crisp-facts.md).
type PeopleDataBody = Parameters<InstanceType<typeof Crisp>["website"]["updatePeopleData"]>[2];
const peopleData = (data: Record<string, string | number | boolean>) => ({ data }) as unknown as PeopleDataBody;

describe("the official crisp-api client against the emulator", () => {
  it("creates a conversation and reads and updates its metas", async () => {
    const { session_id: sessionId } = await client.website.createNewConversation(emulator.websiteId);
    if (!sessionId) throw new Error("no session_id in the answer");
    await client.website.updateConversationMetas(emulator.websiteId, sessionId, {
      email: "ada@example.com",
      nickname: "Ada",
      data: { plan: "pro", seats: 3 },
    });
    const metas = await client.website.getConversationMetas(emulator.websiteId, sessionId);
    expect(metas).toMatchObject({ email: "ada@example.com", nickname: "Ada", data: { plan: "pro", seats: 3 } });
    expect(emulator.contacts()).toMatchObject([{ email: "ada@example.com", data: { plan: "pro", seats: 3 } }]);
    // The client really went through the conversation and meta routes.
    const site = `/v1/website/${emulator.websiteId}`;
    expect(emulator.requests()).toEqual([
      { seq: 1, method: "POST", path: `${site}/conversation`, status: 200 },
      { seq: 2, method: "PATCH", path: `${site}/conversation/${sessionId}/meta`, status: 200 },
      { seq: 3, method: "GET", path: `${site}/conversation/${sessionId}/meta`, status: 200 },
    ]);
  });

  it("creates a profile and merges, replaces and reads people data by email", async () => {
    const created = await client.website.addNewPeopleProfile(emulator.websiteId, {
      email: "bob@example.com",
      person: { nickname: "Bob" },
    });
    expect(created).toMatchObject({ people_id: expect.any(String) });
    await client.website.updatePeopleData(emulator.websiteId, "bob@example.com", peopleData({ plan: "pro" }));
    await client.website.updatePeopleData(emulator.websiteId, "bob@example.com", peopleData({ seats: 2 }));
    expect(await client.website.getPeopleData(emulator.websiteId, "bob@example.com")).toEqual({
      data: { plan: "pro", seats: 2 },
    });
    await client.website.savePeopleData(emulator.websiteId, "bob@example.com", peopleData({ vip: true }));
    expect(emulator.contacts()[0]?.data).toEqual({ vip: true });
    expect(await client.website.checkPeopleProfileExists(emulator.websiteId, "bob@example.com")).toBeDefined();
    // The client really went through the people profile and people data routes (merge, read, replace).
    const site = `/v1/website/${emulator.websiteId}`;
    const data = `${site}/people/data/bob@example.com`;
    expect(emulator.requests().map(({ method, path, status }) => `${status} ${method} ${path}`)).toEqual([
      `200 POST ${site}/people/profile`,
      `200 PATCH ${data}`,
      `200 PATCH ${data}`,
      `200 GET ${data}`,
      `200 PUT ${data}`,
      `200 HEAD ${site}/people/profile/bob@example.com`,
    ]);
  });

  it("rejects with Crisp's reasons for bad credentials, unknown contacts and invalid data", async () => {
    const stranger = new Crisp();
    stranger.setRestHost(emulator.url);
    stranger.authenticateTier("plugin", "someone", "wrong");
    await expect(stranger.website.createNewConversation(emulator.websiteId)).rejects.toMatchObject({
      code: 401,
      message: "unauthorized",
    });
    await expect(client.website.getPeopleData(emulator.websiteId, "nobody@example.com")).rejects.toMatchObject({
      code: 404,
      message: "not_found",
    });
    await client.website.addNewPeopleProfile(emulator.websiteId, { email: "c@example.com", person: { nickname: "C" } });
    await expect(
      client.website.updatePeopleData(emulator.websiteId, "c@example.com", peopleData({ "Bad Key": 1 })),
    ).rejects.toMatchObject({ code: 400, message: "invalid_data" });
  });
});
