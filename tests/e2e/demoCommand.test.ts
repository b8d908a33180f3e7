import { type ChildProcess, spawn } from "node:child_process";
import { createConnection } from "node:net";
import { resolve } from "node:path";
import { afterAll, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const URLS = {
  react: "http://127.0.0.1:4173/",
  vue: "http://127.0.0.1:4174/",
  operator: "http://127.0.0.1:4100/",
};

let demo: ChildProcess | undefined;

/** Resolves with the exit code once the process has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once("exit", (code) => done(code)));
}

function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

afterAll(async () => {
  // A failed assertion must not leave the demo (and the servers it started) running.
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    demo.kill("SIGINT");
    await exited(demo);
  }
});

// `pnpm demo` is `node scripts/demo.mjs`; `--no-build` because the browser tests already need the built workspace.
test("the demo command serves both demos and the operator view on fixed ports, prints the URLs, stops on Ctrl-C", async () => {
  const child = spawn(process.execPath, ["scripts/demo.mjs", "--no-build"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo = child;
  let output = "";
  await new Promise<void>((ready, failed) => {
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Press Ctrl-C to stop.")) ready();
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.once("exit", (code) => failed(new Error(`the demo exited (code ${code}) before it was ready:\n${output}`)));
  });

  expect(output).toContain(`React demo     ${URLS.react}`);
  expect(output).toContain(`Vue demo       ${URLS.vue}`);
  expect(output).toContain(`Operator view  ${URLS.operator}`);
  const react = await fetch(URLS.react).then((response) => response.text());
  expect(react).toContain('<div id="root">');
  const vue = await fetch(URLS.vue).then((response) => response.text());
  expect(vue).toContain('<div id="app">');
  expect((await fetch(URLS.operator)).ok).toBe(true);
  // The chat runtime the demos load by default.
  expect((await fetch(`${URLS.operator}l.js`)).ok).toBe(true);

  // Ctrl-C: a clean exit, with the emulator and both app servers stopped.
  child.kill("SIGINT");
  expect(await exited(child)).toBe(0);
  for (const url of Object.values(URLS)) expect(await listening(url), url).toBe(false);
});
