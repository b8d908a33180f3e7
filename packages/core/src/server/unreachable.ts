/** Error codes (Node, undici) meaning the host could not be reached at all, as opposed to a reset or a stall. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether a fetch failure says nothing listens at the API's address. undici wraps the socket error as the
 * `cause` of a TypeError, and a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
 */
export function isUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && UNREACHABLE.has(code)) return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isUnreachable(inner, depth + 1)))
    return true;
  return isUnreachable(cause, depth + 1);
}
