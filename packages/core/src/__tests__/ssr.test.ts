// @vitest-environment node
import { expect, test } from "vitest";

test("importing and using the client without a DOM neither throws nor pushes", async () => {
  expect(typeof globalThis.window).toBe("undefined");
  const core = await import("@crisp-data/core");
  const client = core.getDefaultCrispData();
  client.identify({ id: "u1", email: "a@example.com", tokenId: "t" });
  client.set({ plan: "pro" });
  client.source().set({ seats: 2 });
  await client.flush();
  client.identify(null);
  await client.flush();
  expect(client.getSnapshot().user).toBeNull();
  expect(typeof globalThis.window).toBe("undefined");
  expect("$crisp" in globalThis).toBe(false);
  // Each server call gets its own client, so two requests never share a user.
  expect(core.getDefaultCrispData()).not.toBe(client);
});
