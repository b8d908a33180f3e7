/**
 * What the ensure-* scripts share: finding an executable, installing a Debian package when this runs as root on
 * Debian (the machines this project's tests and CI run on; elsewhere the caller says what to install), and a free
 * loopback port for a server a test starts.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { createServer } from "node:net";

export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function canInstallWithApt() {
  return (
    process.platform === "linux" &&
    process.getuid?.() === 0 &&
    existsSync("/etc/debian_version") &&
    existsSync("/usr/bin/apt-get")
  );
}

/** `apt-get update`, then installs `pkg`; throws a one-line error naming the package when either fails. */
export function aptInstall(pkg, log) {
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", pkg]]) {
    log(`$ apt-get ${args.join(" ")}`);
    const result = spawnSync("apt-get", args, {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(" ")} failed (exit ${result.status ?? result.signal}): install Debian's ${pkg} package yourself (apt-get install -y ${pkg})`,
      );
    }
  }
}

/** A loopback port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
