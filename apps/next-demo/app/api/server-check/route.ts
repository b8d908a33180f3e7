import { serverCheck } from "../../../lib/serverCheck";

/** `GET /api/server-check`: `@crisp-data/react`'s plain exports work in a route handler too. */
export async function GET(): Promise<Response> {
  return Response.json(await serverCheck());
}
