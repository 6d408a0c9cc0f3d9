import { describe, expect, it } from "vitest";
import { defaultRouteIn } from "../../../src/cli/host-network";

// Tables as this machine's kernel printed them (network namespaces with and without a route).
const V4_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
const V4_DEFAULT = `${V4_HEADER}eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
const V4_SUBNET_ONLY = `${V4_HEADER}a0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
const zero = "0".repeat(32);
const V6_UNREACHABLE = `${zero} 00 ${zero} 00 ${zero} ffffffff 00000001 00000000 00200200       lo\n`;
const V6_DEFAULT = `${zero} 00 ${zero} 00 fd000000000000000000000000000001 00000400 00000003 00000000 00000003     eth0\n`;

describe("defaultRouteIn", () => {
  it("finds an IPv4 or IPv6 default route, and not the kernel's unreachable ::/0 on lo", () => {
    expect(defaultRouteIn(V4_DEFAULT, V6_UNREACHABLE)).toBe(true);
    expect(defaultRouteIn(V4_SUBNET_ONLY, V6_DEFAULT)).toBe(true);
    expect(defaultRouteIn(V4_SUBNET_ONLY, V6_UNREACHABLE)).toBe(false);
    expect(defaultRouteIn(V4_HEADER, V6_UNREACHABLE)).toBe(false);
  });

  it("cannot tell where neither table can be read", () => {
    expect(defaultRouteIn(null, null)).toBeNull();
  });
});
