import "server-only";
import { DEMO_USERS, type DemoUser } from "@crisp-data/demo-shared/users";
import { cookies } from "next/headers";

/** The demo's stand-in for a session cookie: the signed-in user's id. */
export const SESSION_COOKIE = "crisp-data-demo-user";

export async function signedInUser(): Promise<DemoUser | null> {
  const id = (await cookies()).get(SESSION_COOKIE)?.value;
  return DEMO_USERS.find((user) => user.id === id) ?? null;
}
