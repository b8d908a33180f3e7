import { runCli } from "./cli/main";

// First Ctrl-C: stop reading and let writes under way finish and be recorded. Second: quit at once (the state
// store is committed per write, so even that loses nothing but the writes in flight).
const controller = new AbortController();
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write("\n[crisp-data-sync] stopping after the writes under way (Ctrl-C again to quit now)\n");
  controller.abort();
});
process.on("SIGTERM", () => controller.abort());

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
