import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
// Inside the package's node_modules, so the bundles find bullmq and ioredis as the package does.
const outDir = resolve(here, "../../node_modules/.cache/crisp-queue-tests");

/**
 * Bundle the producer fixture and the `crisp-data-worker` bin from source (workspace packages through the
 * `@crisp-data/source` condition, Lua as text) into plain ESM that `node` runs: Node 20 cannot run TypeScript.
 */
export async function bundleFleet(): Promise<{ producer: string; worker: string }> {
  mkdirSync(outDir, { recursive: true });
  const entries = { producer: resolve(here, "fixtures/producer.ts"), worker: resolve(here, "../cli.ts") };
  await build({
    entryPoints: entries,
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@crisp-data/source"],
    external: ["bullmq", "ioredis"],
    loader: { ".lua": "text" },
    logLevel: "error",
  });
  return { producer: resolve(outDir, "producer.mjs"), worker: resolve(outDir, "worker.mjs") };
}

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with stdout once the process exits with code 0; rejects otherwise (signals included). */
  readonly done: Promise<string>;
  /** What it printed so far. */
  stdout(): string;
}

export function runNode(script: string, args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<string>((resolvePromise, reject) => {
    child.once("exit", (code, signal) => {
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`${script} exited with ${signal ?? code}: ${stderr.trim().slice(-2000)}`));
    });
  });
  done.catch(() => {});
  return { process: child, done, stdout: () => stdout };
}
