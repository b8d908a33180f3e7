// What `@crisp-data/core/server` resolves to under the `browser` condition: it never ships the REST client to a
// browser. Next.js fails the client build on the `server-only` import; elsewhere the first import throws.
import "./serverError.mjs";
import "server-only";

// The real entry's names, so a bundler links the app and the page fails at load with the message above.
export const createCrispRestClient = undefined;
export const signEmail = undefined;
export const CrispApiError = undefined;
export const CrispTimeoutError = undefined;
