import { parseArgs } from "node:util";
import {
  DEFAULT_IDENTIFIER,
  DEFAULT_KEY,
  DEFAULT_WEBSITE_ID,
  type EmulatorLogEntry,
  type EmulatorOptions,
  FAULT_KINDS,
  type FaultKind,
} from "./options";

export const DEFAULT_CLI_PORT = 4100;

export const HELP = `crisp-emulator: a local Crisp (REST API v1, $crisp runtime at /l.js, operator view) on 127.0.0.1

Usage: crisp-emulator [options]

  --port <n>            port on 127.0.0.1 (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --website-id <id>     the website served (default ${DEFAULT_WEBSITE_ID})
  --identifier <id>     REST identifier for Basic auth (default ${DEFAULT_IDENTIFIER})
  --key <key>           REST key for Basic auth (default ${DEFAULT_KEY})
  --rate-limit <n>      REST requests per second per credential and route, burst n (default: no limit)
  --rate-limit-status <429|420>   status of rate-limited requests (default 429)
  --retry-after         send Retry-After on rate-limited requests (default: no header, like Crisp)
  --faults-rate <0..1>  share of REST requests that fail (default 0: none)
  --faults-seed <n>     seed of the fault sequence (default 1)
  --faults-kinds <list> comma-separated of ${FAULT_KINDS.join(",")} (default: all)
  --allow-origin <origin>  also let pages on this origin call it (repeatable; loopback origins always may)
  --allow-host <name>   also answer to this Host name (repeatable; 127.0.0.1, localhost and [::1] always)
  --quiet               do not log requests, nor requests the client gave up on
  -h, --help            show this help
`;

export type CliCommand = { help: true } | { help: false; quiet: boolean; options: EmulatorOptions };

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value))
    throw new Error(`--${name} expects a number, got ${JSON.stringify(raw)}`);
  return value;
}

/** Turns argv into emulator options; throws an Error with a readable message on a bad flag. */
export function parseCliArgs(argv: string[]): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      "website-id": { type: "string" },
      identifier: { type: "string" },
      key: { type: "string" },
      "rate-limit": { type: "string" },
      "rate-limit-status": { type: "string" },
      "retry-after": { type: "boolean" },
      "faults-rate": { type: "string" },
      "faults-seed": { type: "string" },
      "faults-kinds": { type: "string" },
      "allow-origin": { type: "string", multiple: true },
      "allow-host": { type: "string", multiple: true },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };

  const options: EmulatorOptions = { port: number("port", values.port) ?? DEFAULT_CLI_PORT };
  if (values["website-id"] !== undefined) options.websiteId = values["website-id"];
  if (values.identifier !== undefined) options.identifier = values.identifier;
  if (values.key !== undefined) options.key = values.key;
  if (values["allow-origin"]) options.allowedOrigins = values["allow-origin"];
  if (values["allow-host"]) options.allowedHosts = values["allow-host"];
  if (values.quiet) options.quiet = true;

  const perSecond = number("rate-limit", values["rate-limit"]);
  if (perSecond !== undefined) {
    const status = number("rate-limit-status", values["rate-limit-status"]) ?? 429;
    if (status !== 429 && status !== 420) throw new Error("--rate-limit-status must be 429 or 420");
    options.rateLimit = { perSecond, status, retryAfter: values["retry-after"] ?? false };
  }

  const rate = number("faults-rate", values["faults-rate"]);
  if (rate !== undefined && rate > 0) {
    const kinds = values["faults-kinds"]
      ?.split(",")
      .map((kind) => kind.trim())
      .filter(Boolean);
    const unknown = kinds?.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind)) ?? [];
    if (unknown.length) throw new Error(`--faults-kinds: unknown ${unknown.join(", ")} (use ${FAULT_KINDS.join(",")})`);
    options.faults = {
      rate,
      seed: number("faults-seed", values["faults-seed"]) ?? 1,
      ...(kinds ? { kinds: kinds as FaultKind[] } : {}),
    };
  }
  return { help: false, quiet: values.quiet ?? false, options };
}

/** One readable log line per request, e.g. `07:16:23.637 200 POST   /v1/website/demo/conversation 7ms (rest)`. */
export function formatEntry(entry: EmulatorLogEntry, now: Date = new Date()): string {
  const time = now.toISOString().slice(11, 23);
  const status = entry.status === 0 ? "---" : String(entry.status);
  const fault = entry.fault ? ` [fault ${entry.fault}]` : "";
  return `${time} ${status} ${entry.method.padEnd(6)} ${entry.path} ${entry.durationMs}ms (${entry.kind})${fault}`;
}
