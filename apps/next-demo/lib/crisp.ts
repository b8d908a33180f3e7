import "server-only";
import { type CrispRestClient, createCrispRestClient } from "@crisp-data/core/server";
import { restBaseUrl } from "./setup";

let client: CrispRestClient | undefined;

/**
 * One REST client per server process (it paces and retries across requests). Credentials are passed explicitly:
 * `CRISP_API_IDENTIFIER`/`CRISP_API_KEY`, else the emulator's defaults.
 */
export function crispRest(): CrispRestClient {
  client ??= createCrispRestClient({
    identifier: process.env.CRISP_API_IDENTIFIER || "emulator-identifier",
    key: process.env.CRISP_API_KEY || "emulator-key",
    baseUrl: restBaseUrl(),
  });
  return client;
}
