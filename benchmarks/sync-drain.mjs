// Sync drain benchmark (not a test): how close `crisp-data-sync` gets to the emulator's rate limit when it writes
// a CSV of contacts: first creating them, then changing every one, then a re-run with nothing to do.
//
//   pnpm build
//   node benchmarks/sync-drain.mjs [--rate 200] [--concurrency 8] [--rows 2000]
//
// The emulator limits each route (method + path template) to `rate` requests per second with a bucket that starts
// full. Bound = the busiest route's non-rejected requests ÷ rate: no client can drain faster. Target: ratio ≤ 1.2.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "@crisp-data/emulator";
import { syncContacts } from "../packages/sync/dist/index.js";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    rows: { type: "string", default: "2000" },
  },
});
const rate = Number(values.rate);
const concurrency = Number(values.concurrency);
const rows = Number(values.rows);

const dir = mkdtempSync(join(tmpdir(), "crisp-data-sync-bench-"));
const emulator = await startEmulator({ port: 0, rateLimit: rate });
const options = {
  from: join(dir, "users.csv"),
  websiteId: emulator.websiteId,
  apiUrl: `${emulator.url}/v1/`,
  identifier: emulator.identifier,
  key: emulator.key,
  state: join(dir, "state"),
  concurrency,
  nicknameColumn: "name",
  types: { plan_price: "number" },
};

function writeCsv(price) {
  const lines = ["email,name,plan,plan_price"];
  for (let i = 0; i < rows; i++)
    lines.push(`user${i}@example.com,User ${i},${["free", "pro", "team"][i % 3]},${price + i}`);
  writeFileSync(options.from, `${lines.join("\n")}\n`);
}

const route = (r) =>
  `${r.method} ${r.path.replace(/^\/v1\/website\/[^/]+\//, "").replace(/^(people\/(?:data|profile))\/[^/?]+/, "$1/:id")}`;

async function measure(name, price) {
  writeCsv(price);
  // Let the buckets fill up again, as they would between two runs of a nightly job.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const before = emulator.requestCount();
  const started = performance.now();
  const report = await syncContacts(options);
  const elapsed = performance.now() - started;
  const log = emulator.requests({ since: before });
  const perRoute = new Map();
  for (const r of log) if (r.status !== 429) perRoute.set(route(r), (perRoute.get(route(r)) ?? 0) + 1);
  const busiest = Math.max(0, ...perRoute.values());
  const bound = (busiest / rate) * 1000;
  return {
    run: name,
    written: report.written,
    unchanged: report.unchanged,
    requests: log.length,
    "429s": log.filter((r) => r.status === 429).length,
    "busiest route": busiest,
    "drain ms": Math.round(elapsed),
    "bound ms": Math.round(bound),
    ratio: bound ? +(elapsed / bound).toFixed(3) : "-",
  };
}

console.log(
  `Sync drain: ${rows} CSV rows, rate limit ${rate}/s per route, concurrency ${concurrency}, node ${process.version}`,
);
const table = [
  await measure("new contacts (404, create, write)", 10),
  await measure("every contact changed", 20),
  await measure("nothing changed", 20),
];
console.table(table);
const worst = Math.max(...table.map((row) => (typeof row.ratio === "number" ? row.ratio : 0)));
console.log(`worst ratio to bound: ${worst} (target ≤ 1.2)`);
// Drifted contacts would show up here.
const wrong = emulator.contacts().filter((c) => c.data.plan_price !== 20 + Number(c.email.match(/\d+/)[0])).length;
console.log(`contacts not holding the CSV's last values: ${wrong}`);
await emulator.close();
rmSync(dir, { recursive: true, force: true });
process.exit(worst <= 1.2 && wrong === 0 ? 0 : 1);
