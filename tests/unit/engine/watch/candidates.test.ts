import { describe, expect, it } from "vitest";
import { describeCandidate } from "../../../../src/engine/watch/candidates";

describe("describeCandidate", () => {
  it("reads a host IPv4 UDP candidate", () => {
    expect(
      describeCandidate("candidate:1 1 udp 2113937151 192.0.2.1 54321 typ host generation 0"),
    ).toMatchObject({
      type: "host",
      protocol: "udp",
      family: "ipv4",
      mdns: false,
    });
  });
  it("reads an IPv6 TCP candidate", () => {
    expect(
      describeCandidate("candidate:2 1 TCP 1518280447 2001:db8::1 9 typ host tcptype active"),
    ).toMatchObject({
      type: "host",
      protocol: "tcp",
      family: "ipv6",
    });
  });
  it("recognises an mDNS-obfuscated host address", () => {
    expect(
      describeCandidate(
        "a=candidate:0 1 UDP 2122252543 8c2f4b2e-6b1a-4f3e-9d8c-1a2b3c4d5e6f.local 44444 typ host",
      ),
    ).toMatchObject({ type: "host", family: "mdns", mdns: true });
  });
  it("reads server-reflexive and relay types", () => {
    expect(
      describeCandidate("candidate:3 1 udp 1686052607 198.51.100.7 3478 typ srflx raddr 0.0.0.0 rport 0")
        .type,
    ).toBe("srflx");
    expect(describeCandidate("candidate:4 1 udp 41885439 203.0.113.9 50000 typ relay").type).toBe("relay");
  });
  it("does not throw on garbage", () => {
    expect(describeCandidate("nonsense")).toMatchObject({ type: "unknown", family: "unknown" });
  });
});
