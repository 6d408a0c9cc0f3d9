// What the command line can see of this machine's network, which no extension page can: interfaces
// with an address besides loopback, and a default route (Linux's /proc/net/route and ipv6_route).
// The diagnosis's no-interface-up hint is made from it (engine/diagnose/no-interface-hint.ts).
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import type { HostNetwork } from "../engine/diagnose/no-interface-hint";

/** Names shown at most. */
const MAX_INTERFACES = 8;

export function readHostNetwork(): HostNetwork {
  const interfaces = Object.entries(networkInterfaces())
    .filter(([, addresses]) => (addresses ?? []).some((a) => !a.internal))
    .map(([name]) => name)
    .slice(0, MAX_INTERFACES);
  return {
    interfaces,
    defaultRoute: defaultRouteIn(readOrNull("/proc/net/route"), readOrNull("/proc/net/ipv6_route")),
  };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Pure: whether either routing table holds a usable default route; null where neither could be
 * read (not Linux). IPv4: destination and mask 0, flag RTF_UP. IPv6: ::/0 on an interface other
 * than lo and without RTF_REJECT (the kernel lists an unreachable ::/0 on lo when there is none).
 */
export function defaultRouteIn(ipv4: string | null, ipv6: string | null): boolean | null {
  if (ipv4 === null && ipv6 === null) return null;
  const v4 = (ipv4 ?? "")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some(
      (f) => f[1] === "00000000" && f[7] === "00000000" && (Number.parseInt(f[3] ?? "0", 16) & 0x1) === 1,
    );
  const v6 = (ipv6 ?? "")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .some(
      (f) =>
        f[0] === "0".repeat(32) &&
        f[1] === "00" &&
        f[9] !== "lo" &&
        f[9] !== undefined &&
        (Number.parseInt(f[8] ?? "0", 16) & 0x200) === 0,
    );
  return v4 || v6;
}
