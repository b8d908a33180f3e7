import { dirname, join } from "node:path";
import { CrispSyncError } from "../errors";
import { isPostgresUrl } from "../sources/open";
import { DEFAULT_STATE_DIR, stateFilePath } from "../state";
import { syncContacts } from "../syncContacts";
import { parseCliArgs, USAGE } from "./args";
import { diffLine, summaryTable } from "./format";
import { createProgressView, type OutputStream } from "./progress";

/** Exit codes of `crisp-data-sync`. */
export const EXIT = { ok: 0, rowsFailed: 1, usage: 2, fatal: 3, interrupted: 130 } as const;

/** Where the CLI writes: the summary to `stdout`; progress and errors to `stderr` (a bar when it is a TTY). */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on the first Ctrl-C. */
  signal?: AbortSignal;
}

/** Runs the CLI and resolves with its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv, io.env);
  } catch (error) {
    io.stderr.write(`${message(error)}\n`);
    return EXIT.usage;
  }
  if (command.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const { options } = command;
  const unit = isPostgresUrl(options.from) ? "row" : "line";
  const reportFile = options.dryRun
    ? undefined
    : join(dirname(stateFilePath(options.state ?? DEFAULT_STATE_DIR)), "last-run-issues.ndjson");
  const view = createProgressView(io.stderr);
  try {
    const report = await syncContacts({
      ...options,
      ...(reportFile ? { reportFile } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      diffLimit: 10,
      issueLimit: 20,
      onProgress: (progress) => view.update(progress),
    });
    view.stop();
    if (report.dryRun && report.diffs.length) {
      io.stdout.write(
        `First changes (of ${report.written}):\n${report.diffs.map((d) => `  ${diffLine(d, unit)}`).join("\n")}\n`,
      );
    }
    if (report.issues.length) {
      const more = report.failed + report.invalid + report.duplicates - report.issues.length;
      io.stdout.write(
        `Reported rows:\n${report.issues.map((i) => `  ${i.kind === "duplicate" ? "warning" : i.kind === "write_failed" ? "failed" : "skipped"}: ${i.message}`).join("\n")}\n${more > 0 ? `  … and ${more} more\n` : ""}`,
      );
    }
    io.stdout.write(`${summaryTable(report, reportFile)}\n`);
    if (report.aborted) return EXIT.interrupted;
    return report.failed + report.invalid > 0 ? EXIT.rowsFailed : EXIT.ok;
  } catch (error) {
    view.stop();
    io.stderr.write(`${message(error)}\n`);
    if (error instanceof CrispSyncError && (error.kind === "usage" || error.kind === "columns")) return EXIT.usage;
    return EXIT.fatal;
  }
}

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.startsWith("[crisp-data]") ? text : `[crisp-data] ${text}`;
}
