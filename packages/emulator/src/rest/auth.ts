import type { IncomingMessage } from "node:http";

export const TIERS = ["plugin", "website", "user"] as const;

/** The credential a request authenticated with, or why it did not. */
export type AuthResult = { ok: true; credential: string } | { ok: false; message: string };

/** HTTP Basic `identifier:key` plus an `X-Crisp-Tier` of `plugin`, `website` or `user`, as Crisp requires. */
export function authenticate(req: IncomingMessage, identifier: string, key: string): AuthResult {
  const tier = req.headers["x-crisp-tier"];
  if (typeof tier !== "string" || !(TIERS as readonly string[]).includes(tier)) {
    return { ok: false, message: "X-Crisp-Tier must be plugin, website or user" };
  }
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) return { ok: false, message: "Authorization must be HTTP Basic identifier:key" };
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0 || decoded.slice(0, colon) !== identifier || decoded.slice(colon + 1) !== key) {
    return { ok: false, message: "unknown identifier or key" };
  }
  return { ok: true, credential: `${tier}:${identifier}` };
}
