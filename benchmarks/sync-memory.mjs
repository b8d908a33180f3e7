// Sync memory benchmark (not a test): peak RSS of a `--dry-run` over a large CSV file, which reads, maps,
// checks for duplicate emails and compares every row with the state store. Each size runs in a fresh process.
//
//   pnpm build
//   node benchmarks/sync-memory.mjs [--rows 100000,1000000]
//
// Target: under 250 MB for 100,000 rows, and flat as the file grows (streaming end to end).
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { syncContacts } from "../packages/sync/dist/index.js";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000,1000000" }, child: { type: "string" } },
});

if (values.child) {
  // The measured process: one dry run, then its own peak RSS.
  const [from, state] = values.child.split("\n");
  const started = performance.now();
  const report = await syncContacts({ from, state, websiteId: "bench", dryRun: true, types: { plan_price: "number" } });
  console.log(
    JSON.stringify({
      rows: report.rowsRead,
      wouldWrite: report.written,
      ms: Math.round(performance.now() - started),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
  process.exit(0);
}

async function writeCsv(path, rows) {
  const out = createWriteStream(path);
  out.write("email,name,plan,plan_price,signup_date,notes\n");
  for (let i = 0; i < rows; i++) {
    const line = `user${i}@example.com,User ${i},${["free", "pro", "team"][i % 3]},${i % 100},2024-01-${String((i % 28) + 1).padStart(2, "0")},note ${i}\n`;
    if (!out.write(line)) await new Promise((resolve) => out.once("drain", resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

const dir = mkdtempSync(join(tmpdir(), "crisp-data-sync-mem-"));
const results = [];
try {
  for (const rows of values.rows.split(",").map(Number)) {
    const from = join(dir, `users-${rows}.csv`);
    await writeCsv(from, rows);
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), "--child", `${from}\n${join(dir, "state")}`],
      {
        encoding: "utf8",
      },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const measured = JSON.parse(child.stdout.trim().split("\n").pop());
    results.push({
      rows,
      "file MB": +(statSync(from).size / 2 ** 20).toFixed(1),
      "dry run s": +(measured.ms / 1000).toFixed(1),
      "rows/s": Math.round(rows / (measured.ms / 1000)),
      "peak RSS MB": +(measured.maxRssBytes / 2 ** 20).toFixed(1),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Dry-run memory, node ${process.version}:`);
console.table(results);
