import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REQUEST_LOG_LIMIT, RequestLog } from "../rest/requestLog";
import { type Emulator, startEmulator } from "../server";
import { EmulatorState } from "../state";
import { rest, site } from "./helpers";
import { raw } from "./raw";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await emulator.close();
});

/** Starts a request with a body it never finishes, then hangs up, as a closed tab does. */
async function abortMidBody(target: Emulator, path: string): Promise<void> {
  const socket = connect(target.port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"op":`);
  await new Promise((resolve) => setTimeout(resolve, 30));
  socket.destroy();
}

describe("requests that go wrong", () => {
  it("answers 400 to a broken %-escape in a runtime path, and logs nothing", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const answer = await raw(emulator, "POST", "/runtime/sessions/%E0%A4%A/commands", {}, '{"op":"data","pairs":[]}');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: true, message: expect.stringMatching(/percent/) });
    expect(errors).not.toHaveBeenCalled();
  });

  it("logs one line for a request the client gave up on, and nothing when quiet", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await abortMidBody(emulator, "/runtime/sessions");
    await vi.waitFor(() => expect(errors).toHaveBeenCalledTimes(1));
    expect(errors.mock.calls[0]).toEqual(["[crisp-emulator] POST /runtime/sessions: the client went away"]);

    errors.mockClear();
    let finished = 0;
    const quiet = await startEmulator({ quiet: true, onRequest: () => finished++ });
    try {
      await abortMidBody(quiet, `${site(quiet)}/conversation`);
      await abortMidBody(quiet, "/runtime/sessions");
      await vi.waitFor(() => expect(finished).toBe(2));
      // The failure is handled right after the response closes: give it that turn.
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await quiet.close();
    }
    expect(errors).not.toHaveBeenCalled();
  });
});

describe("token ids stay out of the operator view", () => {
  it("never shows a session's tokenId in state.json or on its pages", async () => {
    const started = await fetch(`${emulator.url}/runtime/sessions`, {
      method: "POST",
      body: JSON.stringify({ websiteId: emulator.websiteId, tokenId: "tok_secret_4242" }),
    }).then((response) => response.json() as Promise<{ sessionId: string }>);
    expect(emulator.sessions()[0]?.tokenId).toBe("tok_secret_4242");
    const state = await fetch(`${emulator.url}/operator/state.json`).then((response) => response.text());
    expect(JSON.parse(state).conversations).toHaveLength(1);
    expect(state).not.toContain("tok_secret_4242");
    expect(state).not.toContain("tokenId");
    for (const path of ["/", `/operator/conversation/${started.sessionId}`, "/operator/shortcut"]) {
      expect(await fetch(`${emulator.url}${path}`).then((response) => response.text()), path).not.toContain(
        "tok_secret_4242",
      );
    }
  });
});

describe("bounded memory", () => {
  it("keeps the latest records, numbered, with a total that keeps counting", () => {
    const log = new RequestLog(5);
    for (let index = 1; index <= 23; index++) log.add({ method: "GET", path: `/v1/${index}`, status: 200 });
    expect(log.total).toBe(23);
    expect(log.list().map((record) => record.seq)).toEqual([19, 20, 21, 22, 23]);
    expect(log.list(21).map((record) => record.path)).toEqual(["/v1/22", "/v1/23"]);
    // A `since` older than the window gives what is still kept; one at the end gives nothing.
    expect(log.list(3)).toHaveLength(5);
    expect(log.list(23)).toEqual([]);
    // Records are copies: a caller cannot rewrite the log.
    const [first] = log.list();
    if (first) first.status = 500;
    expect(log.list()[0]?.status).toBe(200);
    expect(REQUEST_LOG_LIMIT).toBeGreaterThanOrEqual(10_000);
  });

  it("counts every REST request past the kept window, so callers that count are not broken", async () => {
    const before = emulator.requestCount();
    await rest(emulator, "POST", `${site(emulator)}/conversation`);
    await rest(emulator, "POST", `${site(emulator)}/conversation`);
    expect(emulator.requests({ since: before })).toHaveLength(2);
    expect(emulator.requestCount()).toBe(before + 2);
  });

  it("caps anonymous sessions by dropping the least recently active one; signed-in ones stay", () => {
    const state = new EmulatorState({ anonymousSessionLimit: 2 });
    const create = () => {
      state.makeRoomForAnonymous();
      return state.createSession({ websiteId: "w" });
    };
    const signedIn = create();
    state.setIdentity(signedIn, { email: "ada@example.com" });
    const first = create();
    const second = create();
    const third = create();
    const ids = state.sessions().map((session) => session.sessionId);
    expect(ids).toEqual([signedIn.sessionId, second.sessionId, third.sessionId]);
    expect(ids).not.toContain(first.sessionId);
  });
});
