import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A port nothing listens on now (the OS picks it), never one of the demos' fixed ports. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, options.args(port), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
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
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return { url, output: () => output, close };
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  await close();
  throw new Error(`${options.cwd}: the server did not answer on ${url}:\n${output}`);
}
