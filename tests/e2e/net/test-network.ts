// The network the CLI tests build in a namespace of their own: loopback plus a veth pair on
// TEST-NET-1 with a default route, so both browsers gather host candidates (Firefox needs a
// non-loopback interface and a route) while nothing can leave the machine.
import { execFileSync } from "node:child_process";
import { canIsolateNetwork } from "../../../src/cli/browsers";

/** Shell lines that bring up lo and a veth pair named `${name}0`/`${name}1` with 192.0.2.1. */
export function withInterface(name: string): string[] {
  return [
    "ip link set lo up",
    `ip link add ${name}0 type veth peer name ${name}1`,
    `ip link set ${name}1 up`,
    `ip addr add 192.0.2.1/24 dev ${name}0`,
    `ip link set ${name}0 up`,
    `ip route add default dev ${name}0`,
  ];
}

/** True when this process may make network namespaces and use iptables inside them. */
export function canFilterInNamespace(): boolean {
  if (!canIsolateNetwork()) return false;
  try {
    execFileSync("unshare", ["-n", "iptables", "-S"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
