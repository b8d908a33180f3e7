"use server";

import { DEMO_USERS } from "@crisp-data/demo-shared/users";
import { cookies } from "next/headers";
import { crispRest } from "../lib/crisp";
import { SESSION_COOKIE, signedInUser } from "../lib/session";
import { demoSetup } from "../lib/setup";

export async function signIn(userId: string): Promise<void> {
  if (!DEMO_USERS.some((user) => user.id === userId)) throw new Error("unknown demo user");
  (await cookies()).set(SESSION_COOKIE, userId, { httpOnly: true, sameSite: "lax", path: "/" });
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/** What the server action reports back to the page. */
export type ServerWriteResult = { ok: true; keys: string[] } | { ok: false; message: string };

/**
 * A write only the backend may make: the signed-in user's contact gets `onboarded`, through the REST client of
 * `@crisp-data/core/server` (the API key never reaches the browser).
 */
export async function markOnboarded(): Promise<ServerWriteResult> {
  const user = await signedInUser();
  if (!user) return { ok: false, message: "Sign in first." };
  const data = { onboarded: true, onboarded_by: "next-server-action" };
  try {
    await crispRest().setContactData(demoSetup().websiteId, user.email, data);
    return { ok: true, keys: Object.keys(data) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
