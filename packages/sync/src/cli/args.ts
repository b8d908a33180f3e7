import { parseArgs } from "node:util";
import { CrispSyncError } from "../errors";
import type { SyncContactsOptions } from "../types";
import { parseTypes } from "../values";

export const USAGE = `Usage: crisp-data-sync --from <source> --website-id <id> [options]

Writes contacts' custom data to Crisp from a CSV file, an NDJSON file or a PostgreSQL query. Re-runs write only
what changed; a stopped run resumes where it left off.

  --from <source>           a .csv or .ndjson file, or a postgres:// URL (then --query)
  --query <sql>             the query for a postgres:// source, e.g. "select email, plan, plan_price from users"
  --website-id <id>         the Crisp website to write to
  --api-url <url>           REST API root (default https://api.crisp.chat/v1/)
  --identifier <id>         token identifier (default $CRISP_API_IDENTIFIER)
  --key <key>               token key (default $CRISP_API_KEY)
  --email-column <name>     the email column (default email)
  --nickname-column <name>  a column to name new contacts by (default none)
  --types <spec>            CSV column types, e.g. plan_price=number,is_trialing=boolean
  --state <path>            state directory or .sqlite file (default .crisp-data-sync/)
  --dry-run                 print what would change; write nothing
  --concurrency <n>         requests under way at once (default 4)
  --max-rows <n>            stop after n rows
  -h, --help                this help

Exit codes: 0 all written, 1 some rows failed (listed in the report file), 2 bad usage, 3 fatal error.`;

export type CliCommand = { help: true } | { help: false; options: SyncContactsOptions };

/**
 * Parses the command line into `syncContacts` options (credentials from the environment when not given).
 * @throws CrispSyncError (`usage`) naming the flag at fault.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: "string" },
        query: { type: "string" },
        "website-id": { type: "string" },
        "api-url": { type: "string" },
        identifier: { type: "string" },
        key: { type: "string" },
        "email-column": { type: "string" },
        "nickname-column": { type: "string" },
        types: { type: "string" },
        state: { type: "string" },
        "dry-run": { type: "boolean" },
        concurrency: { type: "string" },
        "max-rows": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? "";
    throw new CrispSyncError("usage", flag, `${message.replace(/\.$/, "")}. See --help.`);
  }
  if (values.help) return { help: true };
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const from = text("from");
  const websiteId = text("website-id");
  if (!from)
    throw new CrispSyncError("usage", "--from", "--from is required: a .csv or .ndjson file, or a postgres:// URL.");
  if (!websiteId) throw new CrispSyncError("usage", "--website-id", "--website-id is required.");
  const dryRun = values["dry-run"] === true;
  const identifier = text("identifier") ?? env.CRISP_API_IDENTIFIER;
  const key = text("key") ?? env.CRISP_API_KEY;
  if (!dryRun && (!identifier || !key)) {
    const flag = identifier ? "--key" : "--identifier";
    throw new CrispSyncError(
      "usage",
      flag,
      `${flag} is required (or ${identifier ? "CRISP_API_KEY" : "CRISP_API_IDENTIFIER"} in the environment).`,
    );
  }
  const options: SyncContactsOptions = { from, websiteId, dryRun };
  const set = <K extends keyof SyncContactsOptions>(name: K, value: SyncContactsOptions[K] | undefined) => {
    if (value !== undefined) options[name] = value;
  };
  set("query", text("query"));
  set("apiUrl", text("api-url"));
  set("identifier", identifier || undefined);
  set("key", key || undefined);
  set("emailColumn", text("email-column"));
  set("nicknameColumn", text("nickname-column"));
  set("state", text("state"));
  const types = text("types");
  if (types !== undefined) options.types = parseTypes(types);
  set("concurrency", integer(text("concurrency"), "--concurrency"));
  set("maxRows", integer(text("max-rows"), "--max-rows"));
  return { help: false, options };
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new CrispSyncError("usage", flag, `${flag} must be a positive integer, not ${JSON.stringify(value)}.`);
  }
  return number;
}
