// Why a page connection's ICE failed, from the pairs getStats showed; silent without them, without
// remote candidates, or once a pair is in use.
import { describe, expect, it } from "vitest";
import { CHECKING_WAIT_MS, pathFindings } from "../../../../src/engine/page/page-path-findings";
import { type PairSummary, pairSummary } from "../../../../src/engine/watch/pair-stats";
import { stepEntry, type TimelineEntry } from "../../../../src/engine/watch/timeline";

const ice = (t: number, value: string): TimelineEntry => ({
  t,
  source: "peer",
  property: "iceConnectionState",
  value,
});
const host = { type: "host", protocol: "udp", family: "ipv4", mdns: false, loopback: false };
const reached = [stepEntry(5, "peer", "candidate-added", host), ice(6, "checking")];
const summary = (over: Partial<PairSummary> = {}): PairSummary => ({
  udp: { pairs: 2, requestsSent: 40, responsesReceived: 0, succeeded: 0 },
  tcp: { pairs: 0, requestsSent: 0, responsesReceived: 0, succeeded: 0 },
  selected: null,
  bytesSent: 0,
  bytesReceived: 0,
  ...over,
});

describe("pathFindings", () => {
  it("names checks sent and never answered, once ICE failed or checked past the wait", () => {
    const failed = [...reached, ice(9000, "failed")];
    expect(pathFindings({ entries: failed, nowT: 9000, stats: summary() }).map((f) => f.message)).toEqual([
      "ICE failed: it sent 40 connectivity checks on 2 candidate pairs (UDP 2, TCP 0) and not one was answered.",
    ]);
    expect(
      pathFindings({ entries: reached, nowT: 6 + CHECKING_WAIT_MS, stats: summary() })[0]?.message,
    ).toMatch(/^ICE has been checking for 10 s: it sent 40/);
    expect(pathFindings({ entries: reached, nowT: 5 + CHECKING_WAIT_MS, stats: summary() })).toEqual([]);
  });

  it("names a connection where no pair ever formed", () => {
    const none = summary({ udp: { pairs: 0, requestsSent: 0, responsesReceived: 0, succeeded: 0 } });
    expect(pathFindings({ entries: [...reached, ice(70, "failed")], nowT: 70, stats: none })[0]?.code).toBe(
      "no-candidate-pairs",
    );
  });

  it("stays silent without the pairs, without remote candidates, with answers, or with a pair in use", () => {
    const failed = [...reached, ice(70, "failed")];
    expect(pathFindings({ entries: failed, nowT: 70, stats: null })).toEqual([]);
    expect(
      pathFindings({ entries: [ice(6, "checking"), ice(70, "failed")], nowT: 70, stats: summary() }),
    ).toEqual([]);
    const answered = summary({ udp: { pairs: 2, requestsSent: 40, responsesReceived: 3, succeeded: 0 } });
    expect(pathFindings({ entries: failed, nowT: 70, stats: answered })).toEqual([]);
    const inUse = summary({ selected: { local: "host", remote: "host", protocol: "udp", rttMs: 1 } });
    expect(pathFindings({ entries: failed, nowT: 70, stats: inUse })).toEqual([]);
  });
});

describe("pairSummary", () => {
  it("reads the pair in use, the checks by transport and the bytes, from getStats entries", () => {
    const stats = [
      { id: "T1", type: "transport", selectedCandidatePairId: "P1" },
      { id: "L1", type: "local-candidate", candidateType: "host", protocol: "udp" },
      { id: "R1", type: "remote-candidate", candidateType: "srflx", protocol: "udp" },
      {
        id: "P1",
        type: "candidate-pair",
        localCandidateId: "L1",
        remoteCandidateId: "R1",
        state: "succeeded",
        nominated: true,
        requestsSent: 3,
        responsesReceived: 3,
        currentRoundTripTime: 0.0123,
        bytesSent: 100,
        bytesReceived: 80,
      },
      {
        id: "P2",
        type: "candidate-pair",
        localCandidateId: "L1",
        remoteCandidateId: "R1",
        state: "failed",
        requestsSent: 5,
      },
    ];
    expect(pairSummary(stats)).toEqual({
      udp: { pairs: 2, requestsSent: 8, responsesReceived: 3, succeeded: 1 },
      tcp: { pairs: 0, requestsSent: 0, responsesReceived: 0, succeeded: 0 },
      selected: { local: "host", remote: "srflx", protocol: "udp", rttMs: 12.3 },
      bytesSent: 100,
      bytesReceived: 80,
    });
    expect(pairSummary([]).selected).toBeNull();
  });
});
