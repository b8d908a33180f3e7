import type { Emulator } from "../server";

export interface RestCall {
  status: number;
  body: { error: boolean; reason: string; data: Record<string, unknown> } | null;
  headers: Headers;
}

/** Calls the emulator's REST API the way a backend does: Basic auth and X-Crisp-Tier, JSON body. */
export async function rest(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  auth: { identifier?: string; key?: string; tier?: string | null } = {},
): Promise<RestCall> {
  const headers: Record<string, string> = {};
  const { identifier = emulator.identifier, key = emulator.key, tier = "plugin" } = auth;
  headers.Authorization = `Basic ${Buffer.from(`${identifier}:${key}`).toString("base64")}`;
  if (tier !== null) headers["X-Crisp-Tier"] = tier;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export const site = (emulator: Emulator): string => `/v1/website/${emulator.websiteId}`;
