import { CrispDataError } from "@crisp-data/core";

/** setTimeout's ceiling: a longer delay fires at once (with a warning), which would turn a wait into a hammer. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A numeric option, checked when the client is created: `Number(process.env.UNSET)` is `NaN`, and a `NaN`
 * concurrency once meant no request was ever made.
 */
export function checkNumber(
  value: number | undefined,
  fallback: number,
  name: string,
  rule: { integer?: boolean; min: number; max?: number },
): number {
  if (value === undefined) return fallback;
  const max = rule.max ?? MAX_TIMER_MS;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < rule.min ||
    value > max ||
    (rule.integer && !Number.isInteger(value))
  ) {
    throw new CrispDataError(
      [{ key: name, code: "invalid_value" }],
      `[crisp-data] ${name} must be ${rule.integer ? "an integer" : "a finite number"} from ${rule.min} to ${max} (got ${String(value)}).`,
    );
  }
  return value;
}

/** Which Crisp token you hold: Marketplace plugin tokens (default), a user token or a website token. */
export type CrispTier = "plugin" | "user" | "website";

const TIERS: readonly string[] = ["plugin", "user", "website"];

export function checkTier(value: unknown, name: string): CrispTier {
  if (typeof value === "string" && TIERS.includes(value)) return value as CrispTier;
  throw new CrispDataError(
    [{ key: name, code: "invalid_value" }],
    `[crisp-data] ${name} must be "plugin", "user" or "website".`,
  );
}

export interface Credentials {
  identifier: string;
  key: string;
  tier: CrispTier;
}

/**
 * Options first, then `CRISP_API_IDENTIFIER`, `CRISP_API_KEY` and `CRISP_API_TIER`. Called at the first request,
 * not at creation: a module-scope client must not break a build (`next build` collecting page data) where the
 * secrets are absent. Never quotes a value.
 */
export function resolveCredentials(given: { identifier?: string; key?: string; tier?: CrispTier }): Credentials {
  // `process` is absent in some edge runtimes; credentials then come from options only.
  const env: Record<string, string | undefined> =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const identifier = given.identifier ?? env.CRISP_API_IDENTIFIER;
  const key = given.key ?? env.CRISP_API_KEY;
  for (const [value, option, variable] of [
    [identifier, "identifier", "CRISP_API_IDENTIFIER"],
    [key, "key", "CRISP_API_KEY"],
  ] as const) {
    if (typeof value !== "string" || value === "") {
      throw new CrispDataError(
        [{ key: option, code: "invalid_value" }],
        `[crisp-data] createCrispRestClient needs a token ${option}: pass \`${option}\` or set ${variable}.`,
      );
    }
  }
  const tier = given.tier ?? (env.CRISP_API_TIER || undefined);
  return {
    identifier: identifier as string,
    key: key as string,
    tier: tier === undefined ? "plugin" : checkTier(tier, given.tier === undefined ? "CRISP_API_TIER" : "tier"),
  };
}
