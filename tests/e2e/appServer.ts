import { type ChildProcess, spawn } from "node:child_process";
import { freePorts } from "./freePorts";

/** Everything `child` prints, stdout and stderr as they arrive; `onOutput` sees the text each time it grows. */
export function collectOutput(child: ChildProcess, onOutput?: (output: string) => void): () => string {
  let output = "";
  const add = (chunk: unknown) => {
    output += chunk;
    onOutput?.(output);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => output;
}

export interface AppServer {
  url: string;
  /** What the server printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts a built app's production server (`node <script> ...args`) on a free loopback port, in its own process
 * group so that closing it stops everything it started, and waits until `/` answers.
 */
export async function startAppServer(options: {
  cwd: string;
  args: (port: number) => string[];
  env: (port: number) => NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<AppServer> {
  const port = (await freePorts(1))[0] as number;
  const child: ChildProcess = spawn(process.execPath, options.args(port), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collectOutput(child);
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      // Already gone.
    }
    await exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return { url, output, close };
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  await close();
  throw new Error(`${options.cwd}: the server did not answer on ${url}:\n${output()}`);
}
