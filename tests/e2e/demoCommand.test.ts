import { type ChildProcess, spawn } from "node:child_process";
import { createConnection } from "node:net";
import { resolve } from "node:path";
import { afterAll, expect, test } from "vitest";
import { collectOutput } from "./appServer";
import { freePorts } from "./freePorts";

const root = resolve(import.meta.dirname, "../..");
const DEMO_PORTS = [4100, 4173, 4174];

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

/** Ctrl-C in a terminal: SIGINT to the whole foreground process group (pnpm, its shell and the script). */
const ctrlC = (child: ChildProcess) => process.kill(-(child.pid ?? 0), "SIGINT");

afterAll(async () => {
  // A failed assertion must not leave the demo (and the servers it started) running.
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    ctrlC(demo);
    await exited(demo);
  }
});

// `pnpm demo` as the README says, with `--no-build` because the browser tests already need the built workspace, and
// on free ports (flags and env), so a contributor's own `pnpm demo` on the default ports can keep running.
test("pnpm demo serves both demos and the operator view on the ports it is given, prints them, stops cleanly on Ctrl-C", async () => {
  const [emulatorPort, reactPort, vuePort] = await freePorts(3);
  for (const port of [emulatorPort, reactPort, vuePort]) expect(DEMO_PORTS).not.toContain(port);
  const emulator = `http://127.0.0.1:${emulatorPort}`;
  const urls = {
    react: `http://127.0.0.1:${reactPort}/?emulator=${emulator}`,
    vue: `http://127.0.0.1:${vuePort}/?emulator=${emulator}`,
    operator: `${emulator}/`,
  };
  const child = spawn(
    "pnpm",
    ["demo", "--no-build", "--emulator-port", String(emulatorPort), "--react-port", String(reactPort)],
    {
      cwd: root,
      env: { ...process.env, DEMO_VUE_PORT: String(vuePort) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  demo = child;
  let output = "";
  await new Promise<void>((ready, failed) => {
    collectOutput(child, (text) => {
      output = text;
      if (output.includes("Press Ctrl-C to stop.")) ready();
    });
    child.once("exit", (code) => failed(new Error(`the demo exited (code ${code}) before it was ready:\n${output}`)));
  });

  expect(output).toContain(`React demo     ${urls.react}`);
  expect(output).toContain(`Vue demo       ${urls.vue}`);
  expect(output).toContain(`Operator view  ${urls.operator}`);
  const react = await fetch(urls.react).then((response) => response.text());
  expect(react).toContain('<div id="root">');
  const vue = await fetch(urls.vue).then((response) => response.text());
  expect(vue).toContain('<div id="app">');
  expect((await fetch(urls.operator)).ok).toBe(true);
  // The chat runtime the demos load.
  expect((await fetch(`${emulator}/l.js`)).ok).toBe(true);

  // Ctrl-C: exit code 0 with no pnpm failure report, and the emulator and both app servers stopped.
  ctrlC(child);
  expect(await exited(child)).toBe(0);
  expect(output).not.toContain("ELIFECYCLE");
  for (const url of Object.values(urls)) expect(await listening(url), url).toBe(false);
});

test("pnpm demo names the flag to use when a port is taken or wrong", async () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, ["scripts/demo.mjs", "--no-build", ...args], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const output = collectOutput(child);
      child.once("exit", (code) => done({ code, output: output() }));
    });
  const bad = await run([], { DEMO_REACT_PORT: "seventy" });
  expect(bad.code).toBe(1);
  expect(bad.output).toContain("DEMO_REACT_PORT must be a port number");
  const clash = await run(["--vue-port", "4173"]);
  expect(clash.output).toContain("Vue demo and React demo both want port 4173");
  const help = await run(["--help"]);
  for (const flag of ["--emulator-port", "--react-port", "--vue-port", "DEMO_EMULATOR_PORT"]) {
    expect(help.output).toContain(flag);
  }
});
