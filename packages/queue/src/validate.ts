import { CrispDataError, type CrispDataInput, type CrispWireValue, validateInputStrict } from "@crisp-data/core";
import type { ContactWriteOptions, CrispTarget } from "@crisp-data/core/server";

/** The same checks as `@crisp-data/core/server`'s REST client, thrown synchronously as a `CrispDataError`. */
export function checkId(value: string, name: string): string {
  if (typeof value !== "string" || value === "") {
    throw new CrispDataError([{ key: "", code: "invalid_value" }], `[crisp-data] ${name} must be a non-empty string.`);
  }
  return value;
}

export function contactTarget(websiteId: string, peopleId: string): CrispTarget {
  return { type: "contact", websiteId: checkId(websiteId, "websiteId"), peopleId: checkId(peopleId, "peopleId") };
}

export function sessionTarget(websiteId: string, sessionId: string): CrispTarget {
  return { type: "session", websiteId: checkId(websiteId, "websiteId"), sessionId: checkId(sessionId, "sessionId") };
}

/** `{ nickname }` as the REST client checks it: absent, or a non-empty string. */
export function checkNickname(options: ContactWriteOptions | undefined): string | undefined {
  const nickname = options?.nickname;
  if (nickname === undefined) return undefined;
  if (typeof nickname !== "string" || nickname.trim() === "") {
    throw new CrispDataError(
      [{ key: "nickname", code: "invalid_value" }],
      "[crisp-data] nickname must be a non-empty string.",
    );
  }
  return nickname;
}

export function checkData(data: CrispDataInput): Map<string, CrispWireValue> {
  return validateInputStrict(data);
}
