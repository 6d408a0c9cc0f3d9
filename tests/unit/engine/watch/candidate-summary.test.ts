import { describe, expect, it } from "vitest";
import {
  describeCandidateSummary,
  summarizeCandidates,
} from "../../../../src/engine/watch/candidate-summary";
import { sessionTimeline } from "../../report-fixture";

describe("summarizeCandidates", () => {
  it("counts gathered candidates by type, family, protocol, mDNS obfuscation and loopback addresses", () => {
    const summary = summarizeCandidates(
      sessionTimeline([
        "candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host",
        "candidate:2 1 udp 2113939711 2001:db8::1 50001 typ host",
        "candidate:3 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active",
        "candidate:4 1 udp 2113937151 0a1b2c3d-0000-4000-8000-000000000000.local 50002 typ host",
        "candidate:5 1 udp 1677729535 198.51.100.7 40000 typ srflx raddr 0.0.0.0 rport 0",
        "candidate:6 1 udp 2113937151 127.0.0.1 50003 typ host",
      ]),
    );
    expect(summary).toEqual({
      total: 6,
      local: 6,
      remote: 0,
      host: 5,
      serverReflexive: 1,
      peerReflexive: 0,
      relay: 0,
      mdns: 1,
      loopback: 1,
      ipv4: 4,
      ipv6: 1,
      udp: 5,
      tcp: 1,
    });
    expect(describeCandidateSummary(summary)).toBe(
      "6 candidates: 5 host (1 mDNS) (1 loopback), 1 server-reflexive; 4 IPv4, 1 IPv6; 5 UDP, 1 TCP",
    );
  });

  it("counts only gathered candidates, not the same ones added to the other peer", () => {
    const timeline = sessionTimeline(["candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host"]);
    const gathered = timeline.find((e) => e.kind === "candidate-gathered");
    if (!gathered) throw new Error("the fixture gathered nothing");
    timeline.push({
      ...gathered,
      source: "remotePeer",
      kind: "candidate-added",
      value: "added host udp ipv4",
    });
    expect(summarizeCandidates(timeline).total).toBe(1);
    expect(describeCandidateSummary(summarizeCandidates(sessionTimeline([], false)))).toBe(
      "no candidates gathered",
    );
  });
});
