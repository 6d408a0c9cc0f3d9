// The matrix-to-verdict rules: each target's finding from its evidence, the findings drawn across
// targets, the level of the whole check, and its headline.

import { describe, expect, it } from "vitest";
import { levelOf } from "../../../../src/contract/levels";
import {
  crossTargetFindings,
  iceCheckHeadline,
  RELAY_MAX_P95_MS,
  RELAY_MIN_BYTES_PER_SECOND,
  type TargetOutcome,
  targetFindings,
} from "../../../../src/engine/ice/ice-verdict";

const base: TargetOutcome = {
  url: "turn:t.example:3478",
  scheme: "turn",
  transport: "udp",
  candidateTypes: ["host"],
  firstCandidateMs: { host: 2 },
  gatheringMs: 100,
  errors: [],
  refused: null,
  relayConnected: false,
};
const relayed: TargetOutcome = {
  ...base,
  candidateTypes: ["host", "relay"],
  firstCandidateMs: { host: 2, relay: 30 },
  relayConnected: true,
  timeToOpenMs: 300,
  throughput: {
    bytesPerSecond: 5e6,
    bytes: 7.5e6,
    messages: 115,
    messageSize: 65536,
    durationMs: 1500,
    lost: 0,
    outOfOrder: 0,
    corrupted: 0,
    cancelReason: null,
  },
  latency: { samples: 30, p50Ms: 1, p95Ms: 2, cancelReason: null },
};
const codes = (o: TargetOutcome) => targetFindings(o).map((f) => `${f.level} ${f.code}`);

describe("targetFindings", () => {
  it("a relay that carried data intact passes, with its figures in the message", () => {
    expect(codes(relayed)).toEqual(["pass relay-connected"]);
    expect(targetFindings(relayed)[0]?.message).toMatch(/UDP.*opened in 300 ms.*5\.00 MB\/s.*p95 2\.00 ms/);
  });

  it("a relay that worked mentions errors from other interfaces without failing", () => {
    const [f] = targetFindings({ ...relayed, errors: [{ errorCode: 701, errorText: "" }] });
    expect(f?.code).toBe("relay-connected");
    expect(f?.message).toMatch(/also reported 701 while gathering/);
  });

  it("401 or 441 is the credentials finding; 701 or silence is unreachable; other codes are no-relay", () => {
    expect(codes({ ...base, errors: [{ errorCode: 401, errorText: "Unauthorized" }] })).toEqual([
      "fail turn-unauthorized",
    ]);
    expect(codes({ ...base, errors: [{ errorCode: 441, errorText: "Wrong Credentials" }] })).toEqual([
      "fail turn-unauthorized",
    ]);
    expect(codes({ ...base, errors: [{ errorCode: 701, errorText: "" }] })).toEqual([
      "fail turn-unreachable",
    ]);
    expect(codes({ ...base, gatheringMs: null })).toEqual(["fail turn-unreachable"]);
    expect(targetFindings({ ...base, gatheringMs: null })[0]?.message).toMatch(
      /no answer came before the gathering deadline/,
    );
    expect(codes({ ...base, errors: [{ errorCode: 486, errorText: "Allocation Quota Reached" }] })).toEqual([
      "fail turn-no-relay",
    ]);
  });

  it("an unreachable TLS target says a certificate can be the cause", () => {
    const [f] = targetFindings({
      ...base,
      scheme: "turns",
      transport: "tls",
      errors: [{ errorCode: 701, errorText: "" }],
    });
    expect(f?.hint).toMatch(/certificate/);
  });

  it("relay candidates without a connection fail as relay-failed with the reason", () => {
    const [f] = targetFindings({ ...base, candidateTypes: ["relay"], relayFailure: "ICE failed" });
    expect(f?.code).toBe("relay-failed");
    expect(f?.message).toMatch(/did not open: ICE failed\.$/);
  });

  it("a slow, laggy or damaging relay warns or fails beside the pass", () => {
    const t = relayed.throughput as NonNullable<TargetOutcome["throughput"]>;
    expect(
      codes({ ...relayed, throughput: { ...t, bytesPerSecond: RELAY_MIN_BYTES_PER_SECOND - 1 } }),
    ).toEqual(["warn relay-slow", "pass relay-connected"]);
    expect(
      codes({
        ...relayed,
        latency: { samples: 30, p50Ms: 200, p95Ms: RELAY_MAX_P95_MS + 1, cancelReason: null },
      }),
    ).toEqual(["warn relay-high-latency", "pass relay-connected"]);
    expect(codes({ ...relayed, throughput: { ...t, lost: 1 } })).toEqual([
      "fail data-not-intact",
      "pass relay-connected",
    ]);
  });

  it("STUN: a reflexive candidate passes; none warns (never fails), with the evidence in the hint", () => {
    const stun: TargetOutcome = { ...base, url: "stun:s.example", scheme: "stun" };
    expect(codes({ ...stun, candidateTypes: ["host", "srflx"], firstCandidateMs: { srflx: 20 } })).toEqual([
      "pass reflexive-candidate",
    ]);
    expect(codes(stun)).toEqual(["warn no-reflexive-candidate"]);
    expect(targetFindings(stun)[0]?.hint).toMatch(/no NAT/);
    const [silent] = targetFindings({ ...stun, errors: [{ errorCode: 701, errorText: "STUN timeout" }] });
    expect(silent?.level).toBe("warn");
    expect(silent?.hint).toMatch(/did not answer/);
  });

  it("a configuration the browser refused is its own failure", () => {
    expect(codes({ ...base, refused: "SyntaxError" })).toEqual(["fail ice-server-refused"]);
  });
});

describe("across targets", () => {
  it("relay over TCP or TLS but not UDP to the same host is relay-udp-blocked", () => {
    const udp = { ...base, errors: [{ errorCode: 701, errorText: "" }] };
    const tcp = { ...relayed, transport: "tcp" as const };
    expect(crossTargetFindings([udp, tcp]).map((f) => f.code)).toEqual(["relay-udp-blocked"]);
    expect(crossTargetFindings([udp, tcp])[0]?.message).toMatch(/works over TCP but not over UDP/);
    expect(crossTargetFindings([relayed, tcp])).toEqual([]);
    expect(crossTargetFindings([udp, { ...tcp, url: "turn:other.example" }])).toEqual([]);
  });

  it("the level is the worst finding's, and the headline counts cells and relays", () => {
    expect(levelOf([])).toBe("pass");
    const findings = [...targetFindings(relayed), ...targetFindings(base)];
    expect(levelOf(findings)).toBe("fail");
    expect(iceCheckHeadline([relayed, base], ["pass", "fail"])).toBe(
      "1 of 2 ICE-server checks passed, 1 failed; a relay-only connection opened through 1 of 2 TURN targets.",
    );
  });
});
