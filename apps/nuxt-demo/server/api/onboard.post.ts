import { type CrispRestClient, createCrispRestClient } from "@crisp-data/core/server";
import { DEMO_USERS } from "@crisp-data/demo-shared/users";

let client: CrispRestClient | undefined;

/**
 * `POST /api/onboard`: a write only the backend may make. The signed-in user's contact gets `onboarded`, through
 * the REST client of `@crisp-data/core/server`; the credentials are server-only runtime config.
 */
export default defineEventHandler(async (event) => {
  const user = DEMO_USERS.find((candidate) => candidate.id === getCookie(event, "crisp-data-demo-user"));
  if (!user) return { ok: false, message: "Sign in first." };
  const { crispApi, public: publicConfig } = useRuntimeConfig(event);
  const api = crispApi as { url: string; identifier: string; key: string };
  client ??= createCrispRestClient({ identifier: api.identifier, key: api.key, baseUrl: api.url });
  const data = { onboarded: true, onboarded_by: "nuxt-server-route" };
  try {
    await client.setContactData((publicConfig.crisp as { websiteId: string }).websiteId, user.email, data);
    return { ok: true, keys: Object.keys(data) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
});
