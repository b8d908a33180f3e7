import { expect, test } from "vitest";
import { createCrispData, memoryTransport } from "@crisp-data/core";

test("smoke", async () => {
  const transport = memoryTransport();
  const client = createCrispData({ transport });
  client.identify({ id: "a", email: "a@x.io" });
  client.set({ plan: "pro", seats: 3 });
  const s = client.source();
  s.set({ seats: 4, Bad: 1 } as never);
  await Promise.resolve();
  expect(transport.commands).toEqual([
    ["set", "user:email", ["a@x.io"]],
    ["set", "session:data", [[["plan", "pro"], ["seats", 4]]]],
  ]);
  expect(client.getSnapshot().status).toBe("error");
  client.identify({ id: "b" });
  client.set({ plan: "free" });
  await client.flush();
  expect(transport.commands.slice(2)).toEqual([["do", "session:reset"], ["set", "session:data", [[["seats", 4], ["plan", "free"]]]]]);
});
