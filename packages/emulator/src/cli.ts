import { formatEntry, HELP, parseCliArgs } from "./cliArgs";
import { startEmulator } from "./server";

async function main(): Promise<void> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`crisp-emulator: ${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(HELP);
    return;
  }
  const quiet = command.quiet;
  const emulator = await startEmulator({
    ...command.options,
    onRequest: quiet ? undefined : (entry) => console.log(formatEntry(entry)),
  });
  console.log(
    [
      `Crisp emulator listening on ${emulator.url}`,
      `  website id  ${emulator.websiteId}`,
      `  REST        ${emulator.url}/v1/ (Basic ${emulator.identifier}:${emulator.key}, X-Crisp-Tier plugin|website|user)`,
      `  chat script ${emulator.scriptUrl}`,
      `  operator    ${emulator.url}/`,
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`crisp-emulator: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
