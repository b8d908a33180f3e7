// CommonJS twin of server.mjs.
require("./serverError.cjs");
require("server-only");
