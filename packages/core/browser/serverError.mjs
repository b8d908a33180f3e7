// Evaluated before `server-only` (imports run in order), so a browser bundle fails with this message, not theirs.
throw new Error(
  '[crisp-data] "@crisp-data/core/server" was imported into browser code. It holds your Crisp API key: import it only from server code (a route handler, a server action, an API route); in the browser use "@crisp-data/core".',
);
