import type { SyncContactsReport, SyncDiff, SyncProgress } from "../types";

const number = new Intl.NumberFormat("en-US");

/** `1,234`. */
export function count(value: number): string {
  return number.format(value);
}

/** `12.3 s`, `4 min 05 s`. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;
}

/** Writes per second since the start. */
export function rate(progress: Pick<SyncProgress, "written" | "elapsedMs">): number {
  return progress.elapsedMs > 0 ? Math.round((progress.written * 1000) / progress.elapsedMs) : 0;
}

/** Time left from the share of the file read so far, or `undefined` when unknown. */
export function eta(progress: Pick<SyncProgress, "fraction" | "elapsedMs">): number | undefined {
  const { fraction, elapsedMs } = progress;
  if (fraction === undefined || fraction <= 0 || fraction >= 1) return undefined;
  return (elapsedMs * (1 - fraction)) / fraction;
}

/** The one line printed every few seconds when stderr is not a terminal. */
export function progressLine(progress: SyncProgress): string {
  const share = progress.fraction === undefined ? "" : ` (${Math.floor(progress.fraction * 100)}%)`;
  const left = eta(progress);
  return (
    `[crisp-data-sync] ${count(progress.rowsRead)} rows read${share}, ${count(progress.written)} written, ` +
    `${count(progress.unchanged)} unchanged, ${count(progress.failed)} failed, ${count(progress.invalid)} invalid, ` +
    `${count(rate(progress))}/s${left === undefined ? "" : `, ETA ${duration(left)}`}`
  );
}

/** The final table. */
export function summaryTable(report: SyncContactsReport, reportFile: string | undefined): string {
  const rows: Array<[string, string]> = [
    ["rows read", count(report.rowsRead)],
    [report.dryRun ? "would write" : "written", count(report.written)],
    ["unchanged", count(report.unchanged)],
    ["failed", count(report.failed)],
    ["invalid rows", count(report.invalid)],
    ["duplicate emails", count(report.duplicates)],
    [report.dryRun ? "keys to set" : "keys set", count(report.keysSet)],
    [report.dryRun ? "keys to delete" : "keys deleted", count(report.keysDeleted)],
  ];
  if (!report.dryRun) rows.push(["requests", `${count(report.requests)} (${count(report.retries)} retries)`]);
  rows.push(["time", duration(report.elapsedMs)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const rule = `+${"-".repeat(width + 2)}+${"-".repeat(valueWidth + 2)}+`;
  const lines = [
    rule,
    ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value.padStart(valueWidth)} |`),
    rule,
  ];
  const notWritten = report.failed + report.invalid;
  const title = report.aborted
    ? "Stopped before the end: run the same command again to resume."
    : report.dryRun
      ? "Dry run: nothing was written."
      : notWritten
        ? `Done: ${count(notWritten)} ${notWritten === 1 ? "row was" : "rows were"} not written.`
        : "Done.";
  const tail: string[] = [];
  if (report.failed + report.invalid + report.duplicates > 0 && reportFile)
    tail.push(`Every row reported: ${reportFile}`);
  if (report.stateFile) tail.push(`State: ${report.stateFile}`);
  return [title, ...lines, ...tail].join("\n");
}

/** `line 7 (new): set plan="pro", plan_price=95; delete coupon`. */
export function diffLine(diff: SyncDiff, unit: string): string {
  const set = Object.entries(diff.set).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  const parts = [
    set.length ? `set ${set.join(", ")}` : "",
    diff.deleted.length ? `delete ${diff.deleted.join(", ")}` : "",
  ];
  return `${unit} ${diff.line}${diff.isNew ? " (new)" : ""}: ${parts.filter(Boolean).join("; ")}`;
}
