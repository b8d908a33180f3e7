#!/usr/bin/env node
/**
 * Finds the PostgreSQL server binaries the sync tests drive (`initdb`, `pg_ctl`, `postgres`), and starts throwaway
 * clusters with them.
 *
 * Order: `POSTGRES_BIN` (a directory holding those three), else the newest `/usr/lib/postgresql/<major>/bin`
 * (Debian's `postgresql` package). When none is found and this runs as root on Debian with apt-get, installs
 * `postgresql` with apt-get; otherwise throws a one-line error naming what to install. Run directly, it prints the
 * directory (`node scripts/ensure-postgres.mjs`). `startPostgres` is how every test gets a server.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { aptInstall, canInstallWithApt, freePort, isExecutable } from "./localTools.mjs";

export const DEBIAN_POSTGRES_ROOT = "/usr/lib/postgresql";
const TOOLS = ["initdb", "pg_ctl", "postgres"];

const hasTools = (dir) => TOOLS.every((tool) => isExecutable(join(dir, tool)));

/** The directory with `initdb`, `pg_ctl` and `postgres`, or `null`. Throws when `POSTGRES_BIN` lacks them. */
export function findPostgresBin(env = process.env) {
  const configured = env.POSTGRES_BIN?.trim();
  if (configured) {
    if (!hasTools(configured)) {
      throw new Error(
        `POSTGRES_BIN=${configured} lacks ${TOOLS.join(", ")}: point it at PostgreSQL's bin directory or unset it`,
      );
    }
    return configured;
  }
  if (!existsSync(DEBIAN_POSTGRES_ROOT)) return null;
  const majors = readdirSync(DEBIAN_POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const dir = join(DEBIAN_POSTGRES_ROOT, major, "bin");
    if (hasTools(dir)) return dir;
  }
  return null;
}

/**
 * Returns PostgreSQL's bin directory, installing Debian's `postgresql` package when allowed.
 * @param {{ env?: NodeJS.ProcessEnv; log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensurePostgres({ env = process.env, log = (line) => console.error(line) } = {}) {
  const found = findPostgresBin(env);
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(
      `PostgreSQL server not found under ${DEBIAN_POSTGRES_ROOT}/<version>/bin: install it (Debian/Ubuntu: sudo apt-get install -y postgresql) or set POSTGRES_BIN to a directory with initdb, pg_ctl and postgres`,
    );
  }
  log(`PostgreSQL server not found: installing Debian's postgresql package (about 30 s)`);
  aptInstall("postgresql", log);
  const installed = findPostgresBin(env);
  if (!installed)
    throw new Error(`apt-get installed postgresql but no ${DEBIAN_POSTGRES_ROOT}/<version>/bin was found`);
  return installed;
}

/** PostgreSQL refuses to run as root: run its tools as `postgres` (or `nobody`), owning the cluster's directory. */
function serverUser() {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error("running as root and neither a postgres nor a nobody user exists to run PostgreSQL as");
}

/**
 * Starts a throwaway cluster on a free loopback port, in a temporary directory removed by `stop()`.
 * Trust authentication, user `postgres`, database `postgres`; fsync off (the data is disposable).
 * @param {{ bin?: string; log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string; port: number; dataDir: string; stop: () => void }>}
 */
export async function startPostgres({ bin = ensurePostgres(), log = () => {} } = {}) {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "crisp-data-pg-"));
  const dataDir = join(dir, "data");
  if (user) chownSync(dir, user.uid, user.gid);
  const tool = (name, args) => {
    const command = join(bin, name);
    const [file, argv] = user ? ["runuser", ["-u", user.name, "--", command, ...args]] : [command, args];
    log(`$ ${name} ${args.join(" ")}`);
    const result = spawnSync(file, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0) {
      throw new Error(
        `${name} failed (exit ${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim()}`,
      );
    }
  };
  try {
    tool("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
    tool("pg_ctl", ["start", "-w", "-t", "30", "-D", dataDir, "-l", join(dir, "server.log"), "-o", settings]);
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          tool("pg_ctl", ["stop", "-m", "immediate", "-w", "-D", dataDir]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensurePostgres());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
