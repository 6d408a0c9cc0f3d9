// What the test suite needs besides node_modules, checked in a second before any test runs: the
// browsers, network namespaces, a TURN server, the tools for certificates and the packet pacer.
// On Debian or Ubuntu as root it installs what is missing (the one list .ci/run uses too); elsewhere
// it stops at once and prints the exact command to run. Plain Node, no dependencies: it runs before
// `npm ci` on a fresh machine.
//
// Usage: node tests/prerequisites.mjs [--check]   (--check: only report, never install)
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Each need: how to tell it is there, the Debian packages that bring it, and why the suite needs it. */
export const NEEDS = [
  { command: "chromium", env: "LOOPBACK_LAB_CHROME", packages: ["chromium"], why: "the Chrome tests" },
  {
    command: "firefox-esr",
    env: "LOOPBACK_LAB_FIREFOX",
    packages: ["firefox-esr"],
    why: "the Firefox tests",
  },
  { command: "ip", packages: ["iproute2"], why: "the private network namespaces" },
  { command: "unshare", packages: ["util-linux"], why: "the private network namespaces" },
  { command: "git", packages: ["git"], why: "the packed-command test" },
  { command: "iptables", packages: ["iptables"], why: "the tests that drop or delay packets" },
  { dpkg: "fonts-noto-color-emoji", packages: ["fonts-noto-color-emoji"], why: "emoji in screenshots" },
  { command: "turnserver", packages: ["coturn"], why: "the real TURN server (coturn)" },
  { command: "openssl", packages: ["openssl"], why: "the TURN server's throwaway certificate" },
  { command: "certutil", packages: ["libnss3-tools"], why: "Chrome trusting that certificate" },
  { command: "gcc", packages: ["gcc", "libc6-dev"], why: "building the packet pacer" },
  { dpkg: "libnetfilter-queue-dev", packages: ["libnetfilter-queue-dev"], why: "building the packet pacer" },
];

/**
 * Where tools are looked for: PATH and the sbin folders a non-root PATH lacks (iptables lives there).
 * PREREQUISITES_PATH replaces both, to see what a machine without some tool would be told.
 */
const SEARCH = (
  process.env.PREREQUISITES_PATH ?? `${process.env.PATH ?? ""}${delimiter}/usr/sbin${delimiter}/sbin`
)
  .split(delimiter)
  .filter(Boolean);

function which(command) {
  for (const dir of SEARCH) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this folder
    }
  }
  return null;
}

function onPath(command) {
  return which(command) !== null;
}

function dpkgHas(name) {
  const dpkg = which("dpkg");
  return dpkg !== null && spawnSync(dpkg, ["-s", name], { stdio: "ignore" }).status === 0;
}

function present(need) {
  if (need.env && process.env[need.env] && existsSync(process.env[need.env])) return true;
  if (need.command) return onPath(need.command);
  return dpkgHas(need.dpkg);
}

export function missingNeeds() {
  return NEEDS.filter((need) => !present(need));
}

function main() {
  const checkOnly = process.argv.includes("--check");
  const missing = missingNeeds();
  const packages = [...new Set(missing.flatMap((need) => need.packages))];
  const root = process.getuid?.() === 0;
  if (missing.length === 0) {
    if (!root)
      console.error(
        "prerequisites: every tool is here, but not root: the end-to-end tests need root for their private network namespaces (`unshare -n`); they will run without that isolation, and some will fail.",
      );
    return 0;
  }
  const list = missing.map((need) => `${need.packages.join(" ")} (${need.why})`).join(", ");
  const apt = which("apt-get");
  const command = `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  if (apt && root && !checkOnly) {
    console.error(`prerequisites: installing ${list}`);
    execFileSync(apt, ["update", "-qq"], { stdio: "inherit" });
    execFileSync(apt, ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    const still = missingNeeds();
    if (still.length === 0) return 0;
    console.error(
      `prerequisites: still missing after installing: ${still.map((n) => n.packages.join(" ")).join(", ")}`,
    );
    return 1;
  }
  console.error(`prerequisites: the test suite needs ${list}.`);
  console.error(
    apt
      ? `Install them with:\n  sudo ${command}`
      : `On Debian or Ubuntu: sudo ${command}\nElsewhere, install the equivalents (see docs/TESTING.md).`,
  );
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
