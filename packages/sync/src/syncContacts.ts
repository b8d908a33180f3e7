import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { CrispDataError, type CrispDataValue } from "@crisp-data/core";
import { CrispApiError, type CrispRestClient, CrispTimeoutError, createCrispRestClient } from "@crisp-data/core/server";
import { CrispSyncError } from "./errors";
import { emailDigest, rowDigest } from "./hash";
import { type ContactPlan, planContact } from "./plan";
import { type ContactRow, createRowMapper } from "./rowMapper";
import { openSource } from "./sources/open";
import { createSeenSet, DEFAULT_STATE_DIR, openStateStore, type WrittenKeys } from "./state";
import type {
  SyncContactsOptions,
  SyncContactsReport,
  SyncDiff,
  SyncIssue,
  SyncIssueKind,
  SyncProgress,
} from "./types";

/** Crisp's REST API root, the default `apiUrl`. */
export const DEFAULT_API_URL = "https://api.crisp.chat/v1/";

/**
 * Writes contacts' custom data from a CSV file, an NDJSON file or a PostgreSQL query to Crisp, incrementally: only
 * contacts whose values changed since the last run are written, and only keys this tool wrote are ever deleted.
 * Progress is committed to the state store as writes succeed, so a killed run resumes where it stopped. Rows with
 * an invalid email or value are reported (`issues`, `reportFile`) and skipped.
 *
 * @throws CrispSyncError when the run cannot start or must stop: bad options, unmappable columns, an unreadable
 * source, a database error, refused credentials or an unusable state store. Writes that succeeded stay recorded.
 * @example
 * import { syncContacts } from "@crisp-data/sync";
 * const report = await syncContacts({
 *   from: "postgres://app@localhost/app",
 *   query: "select email, plan, plan_price from users",
 *   websiteId: process.env.CRISP_WEBSITE_ID!,
 *   onProgress: (p) => console.log(`${p.rowsRead} rows, ${p.written} written`),
 * });
 * console.log(report.written, report.unchanged, report.failed);
 */
export async function syncContacts(options: SyncContactsOptions): Promise<SyncContactsReport> {
  const settings = resolveSettings(options);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const { dryRun, websiteId, signal } = settings;
  const mapper = createRowMapper({
    emailColumn: settings.emailColumn,
    nicknameColumn: options.nicknameColumn,
    types: options.types,
  });
  const source = openSource(options.from, options.query);
  const resources: Array<() => unknown> = [() => source.close()];
  const counts = { rowsRead: 0, written: 0, unchanged: 0, failed: 0, invalid: 0, duplicates: 0, pending: 0 };
  let keysSet = 0;
  let keysDeleted = 0;
  const issues: SyncIssue[] = [];
  const diffs: SyncDiff[] = [];
  let reportFd: number | undefined;
  let fatal: CrispSyncError | undefined;
  let aborted = false;

  const progress = (): SyncProgress => ({ ...counts, fraction: source.fraction(), elapsedMs: now() - started });
  const emit = () => {
    if (!options.onProgress) return;
    try {
      options.onProgress(progress());
    } catch {
      // A throwing progress callback must not stop the sync: the data matters more than the display.
    }
  };
  const report = (kind: SyncIssueKind, line: number, message: string, key?: string) => {
    const issue: SyncIssue = key === undefined ? { kind, line, message } : { kind, line, key, message };
    if (issues.length < settings.issueLimit) issues.push(issue);
    if (options.reportFile) {
      reportFd ??= openSync(options.reportFile, "w");
      writeSync(reportFd, `${JSON.stringify(issue)}\n`);
    }
  };

  try {
    if (options.reportFile) rmSync(options.reportFile, { force: true });
    const store = openStateStore({ path: settings.state, apiUrl: settings.apiUrl, websiteId, readOnly: dryRun });
    resources.push(() => store.close());
    const seen = createSeenSet();
    resources.push(() => seen.close());
    const rest = dryRun
      ? undefined
      : createCrispRestClient({
          identifier: settings.identifier,
          key: settings.key,
          baseUrl: settings.apiUrl,
          concurrency: settings.concurrency,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          onError(error) {
            if (error instanceof CrispApiError && (error.status === 401 || error.status === 403)) {
              fatal ??= new CrispSyncError(
                "credentials",
                "key",
                `Crisp refused the token (${error.status} ${error.reason}): check the identifier, the key and that the token may write this website's contacts.`,
              );
            }
          },
        });
    // Records of earlier rows of this run whose writes are still under way, by contact.
    const inFlight = new Map<string, { seq: number; keys: WrittenKeys }>();
    let seq = 0;
    const unit = source.unit;

    const write = (
      contact: ContactRow,
      id: string,
      plan: ContactPlan,
      shadows: readonly string[],
      client: CrispRestClient,
    ) => {
      const mine = ++seq;
      inFlight.set(id, { seq: mine, keys: plan.keys });
      counts.pending++;
      const data: Record<string, CrispDataValue | null> = { ...plan.set };
      for (const key of plan.deleted) data[key] = null;
      let sent: Promise<void>;
      try {
        // The nickname names a contact the client creates because it did not exist.
        const setContactData: ContactWriter = client.setContactData;
        sent = setContactData(
          websiteId,
          contact.email,
          data,
          contact.nickname ? { nickname: contact.nickname } : undefined,
        );
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(
        () => {
          counts.pending--;
          if (inFlight.get(id)?.seq === mine) inFlight.delete(id);
          commit(id, plan.keys, shadows);
          counts.written++;
          keysSet += Object.keys(plan.set).length;
          keysDeleted += plan.deleted.length;
          emit();
        },
        (error: unknown) => {
          counts.pending--;
          if (inFlight.get(id)?.seq === mine) inFlight.delete(id);
          counts.failed++;
          report("write_failed", contact.line, `${unit} ${contact.line}: ${describeFailure(error)}`);
          emit();
        },
      );
    };

    const commit = (id: string, keys: WrittenKeys, shadows: readonly string[]) => {
      if (dryRun) return;
      try {
        store.put(id, keys, shadows);
      } catch (error) {
        fatal ??= error instanceof CrispSyncError ? error : new CrispSyncError("state", "--state", String(error));
      }
    };

    /** Writes a row if it changed; `shadows` are the earlier rows of its email in this run. */
    const apply = async (contact: ContactRow, id: string, plan: ContactPlan, shadows: readonly string[]) => {
      const pending = inFlight.get(id);
      const stored = store.get(id);
      if (Object.keys(plan.set).length === 0 && plan.deleted.length === 0) {
        counts.unchanged++;
        // Nothing to send, but which rows this one outranks may be news (a repeat first seen this run).
        if (stored && !sameList(stored.shadows, shadows)) commit(id, stored.keys, shadows);
        emit();
        return;
      }
      if (diffs.length < settings.diffLimit) {
        diffs.push({ line: contact.line, set: plan.set, deleted: plan.deleted, isNew: !pending && !stored });
      }
      if (!rest) {
        counts.written++;
        keysSet += Object.keys(plan.set).length;
        keysDeleted += plan.deleted.length;
        emit();
        return;
      }
      await rest.whenCapacity();
      write(contact, id, plan, shadows, rest);
      emit();
    };

    const columns = await source.columns();
    if (columns) mapper.checkColumns(columns, true);
    for await (const row of source.rows()) {
      if (signal?.aborted) {
        aborted = true;
        break;
      }
      if (fatal) break;
      if (settings.maxRows !== undefined && counts.rowsRead >= settings.maxRows) break;
      counts.rowsRead++;
      if (row.error) {
        counts.invalid++;
        report("invalid_row", row.line, `${unit} ${row.line} ${row.error}`);
        emit();
        continue;
      }
      if (!columns) {
        mapper.checkColumns(
          row.cells.map(([column]) => column),
          false,
        );
      }
      const mapped = mapper.map(row);
      if (!mapped.ok) {
        counts.invalid++;
        report("invalid_row", row.line, `${unit} ${row.line}: ${mapped.message}`, mapped.key);
        emit();
        continue;
      }
      const contact = mapped.contact;
      const id = emailDigest(contact.email);
      const stored = store.get(id);
      const plan = planContact(contact.data, stored?.keys, inFlight.get(id)?.keys);
      const digest = rowDigest(plan.keys);
      const earlier = seen.see(id, contact.line, digest);
      const shadows = earlier?.shadows ?? [];
      if (earlier) {
        counts.duplicates++;
        report(
          "duplicate",
          contact.line,
          `${unit} ${contact.line} repeats the email of ${unit} ${earlier.line}: the later row wins`,
        );
        // A row held back for this email is outranked by this one: it will never be written.
        if (seen.undefer(id)) counts.unchanged++;
      }
      // Last run, a later row of this email outranked this very row: hold it back until the end of the source.
      if (stored?.shadows.includes(digest) && Object.keys(plan.set).length + plan.deleted.length > 0) {
        seen.defer(id, { contact, shadows });
        continue;
      }
      await apply(contact, id, plan, shadows);
    }
    // Held-back rows whose later twin did not come this time: they are the last word for their contact now.
    if (!aborted && !fatal && !signal?.aborted) {
      for (const { contact, shadows } of seen.deferred()) {
        if (fatal || signal?.aborted) break;
        const id = emailDigest(contact.email);
        await apply(contact, id, planContact(contact.data, store.get(id)?.keys, inFlight.get(id)?.keys), shadows);
      }
    }
    if (signal?.aborted) aborted = true;
    const sent = rest ? await rest.flush() : { requests: 0, retries: 0 };
    if (fatal) throw fatal;
    emit();
    return {
      ...counts,
      elapsedMs: now() - started,
      dryRun,
      aborted,
      keysSet,
      keysDeleted,
      requests: sent.requests,
      retries: sent.retries,
      issues,
      diffs,
      stateFile: store.file,
    };
  } catch (error) {
    if (error instanceof CrispSyncError) throw error;
    throw new CrispSyncError("source", "--from", error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  } finally {
    if (reportFd !== undefined) closeSync(reportFd);
    for (const release of resources.reverse()) {
      try {
        await release();
      } catch {
        // Closing is best effort; the run's outcome is already decided.
      }
    }
  }
}

type ContactWriter = (
  websiteId: string,
  peopleId: string,
  data: Record<string, CrispDataValue | null>,
  options?: { nickname?: string },
) => Promise<void>;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** A write failure in words, without the request URL (it holds the contact's email). */
function describeFailure(error: unknown): string {
  if (error instanceof CrispApiError) return `Crisp answered ${error.status} (${error.reason})`;
  if (error instanceof CrispTimeoutError) return "Crisp did not answer in time";
  if (error instanceof CrispDataError) return `refused before sending (${error.code} "${error.key}")`;
  const code = (error as { code?: unknown } | null)?.code;
  return `request failed (${typeof code === "string" ? code : error instanceof Error ? error.name : "error"})`;
}

interface Settings {
  dryRun: boolean;
  websiteId: string;
  apiUrl: string;
  identifier: string;
  key: string;
  emailColumn: string;
  state: string;
  concurrency: number;
  maxRows: number | undefined;
  diffLimit: number;
  issueLimit: number;
  signal: AbortSignal | undefined;
}

function resolveSettings(options: SyncContactsOptions): Settings {
  if (!options || typeof options.from !== "string" || options.from === "") {
    throw new CrispSyncError("usage", "from", "from is required: a .csv or .ndjson file, or a postgres:// URL.");
  }
  if (typeof options.websiteId !== "string" || options.websiteId.trim() === "") {
    throw new CrispSyncError("usage", "websiteId", "websiteId is required: the Crisp website to write to.");
  }
  const dryRun = options.dryRun === true;
  const identifier = options.identifier ?? process.env.CRISP_API_IDENTIFIER ?? "";
  const key = options.key ?? process.env.CRISP_API_KEY ?? "";
  if (!dryRun && (!identifier || !key)) {
    throw new CrispSyncError(
      "usage",
      identifier ? "key" : "identifier",
      "A token identifier and key are required (options identifier/key, or CRISP_API_IDENTIFIER/CRISP_API_KEY).",
    );
  }
  let apiUrl: string;
  try {
    const url = new URL(options.apiUrl ?? DEFAULT_API_URL);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError("not http");
    apiUrl = url.href.endsWith("/") ? url.href : `${url.href}/`;
  } catch {
    throw new CrispSyncError("usage", "apiUrl", "apiUrl must be an http(s) URL such as https://api.crisp.chat/v1/.");
  }
  return {
    dryRun,
    websiteId: options.websiteId.trim(),
    apiUrl,
    identifier,
    key,
    emailColumn: options.emailColumn ?? "email",
    state: options.state ?? DEFAULT_STATE_DIR,
    concurrency: Math.min(
      positiveInteger(options.concurrency, "concurrency", 4),
      checkMax(options.concurrency, "concurrency", 1000),
    ),
    maxRows: options.maxRows === undefined ? undefined : positiveInteger(options.maxRows, "maxRows", 0),
    diffLimit: nonNegativeInteger(options.diffLimit, "diffLimit", 5),
    issueLimit: nonNegativeInteger(options.issueLimit, "issueLimit", 1000),
    signal: options.signal,
  };
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new CrispSyncError("usage", name, `${name} must be a positive integer.`);
  return value;
}

function checkMax(value: number | undefined, name: string, max: number): number {
  if (value !== undefined && value > max) throw new CrispSyncError("usage", name, `${name} must be at most ${max}.`);
  return max;
}

function nonNegativeInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new CrispSyncError("usage", name, `${name} must be 0 or more.`);
  return value;
}
