// Runs a command (normally `vitest run …`) in a private network namespace, so no test can reach
// any address outside this machine. Usage: node tests/hermetic.mjs vitest run [vitest args…]
//
// The namespace has loopback up plus a veth pair on 192.0.2.0/24 (TEST-NET-1, never routed) and a
// default route over it: Firefox gathers ICE candidates only when it sees a non-loopback interface
// and a default route. The route leads nowhere: the veth pair's other end is in the same namespace
// and forwarding is off, so packets for anywhere else are dropped here.
//
// It needs root and a working `unshare -n`; otherwise it runs the command as is and says so.
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node tests/hermetic.mjs <command> [args…]  (e.g. vitest run)");
  process.exit(2);
}
// Resolve vitest to its script run by this very node, so PATH inside the namespace does not matter.
const argv =
  command === "vitest"
    ? [process.execPath, join(root, "node_modules", "vitest", "vitest.mjs"), ...args]
    : [command, ...args];

const SETUP = [
  "set -e",
  "ip link set lo up",
  "ip link add lab0 type veth peer name lab1",
  "ip addr add 192.0.2.1/24 dev lab0",
  "ip addr add 192.0.2.2/24 dev lab1",
  "ip link set lab0 up",
  "ip link set lab1 up",
  "ip route add default via 192.0.2.2 dev lab0",
  'exec "$@"',
].join("\n");

function canUnshare() {
  if (process.getuid?.() !== 0) return "not running as root";
  try {
    execFileSync("unshare", ["-n", "true"], { stdio: "ignore" });
    return "";
  } catch {
    return "`unshare -n` does not work here";
  }
}

const env = { ...process.env };
let child;
const reason = canUnshare();
if (reason === "") {
  env.LOOPBACK_LAB_NETNS = "hermetic";
  // unshare execs sh, which execs the command: the child's pid is the command's pid, so signals reach it.
  child = spawn("unshare", ["-n", "--", "sh", "-c", SETUP, "sh", ...argv], { stdio: "inherit", env });
} else {
  console.error(`hermetic: not using a private network namespace (${reason}); running the command as is.`);
  child = spawn(argv[0], argv.slice(1), { stdio: "inherit", env });
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (error) => {
  console.error(`hermetic: could not start ${argv[0]}: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // Die the same way the child did, so the caller sees the signal rather than a made-up code.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
