// From getStats entries to what ICE tried per transport: pairs, checks sent and answered.
import { describe, expect, it } from "vitest";
import { pairActivity, pairEvidence } from "../../../../src/engine/watch/pair-stats";

describe("pairEvidence", () => {
  it("sums candidate pairs by their local candidate's protocol", () => {
    const stats = [
      { id: "L1", type: "local-candidate", protocol: "udp" },
      { id: "L2", type: "local-candidate", protocol: "tcp" },
      {
        id: "P1",
        type: "candidate-pair",
        localCandidateId: "L1",
        requestsSent: 10,
        responsesReceived: 0,
        state: "in-progress",
      },
      {
        id: "P2",
        type: "candidate-pair",
        localCandidateId: "L1",
        requestsSent: 5,
        responsesReceived: 2,
        state: "succeeded",
      },
      { id: "P3", type: "candidate-pair", localCandidateId: "L2", requestsSent: 0, state: "waiting" },
      { id: "P4", type: "candidate-pair", localCandidateId: "missing", requestsSent: 99 },
      { id: "T", type: "transport" },
    ];
    expect(pairEvidence(stats)).toEqual({
      udp: { pairs: 2, requestsSent: 15, responsesReceived: 2, succeeded: 1 },
      tcp: { pairs: 1, requestsSent: 0, responsesReceived: 0, succeeded: 0 },
    });
  });
});

describe("pairActivity", () => {
  it("sums the candidate pairs' bytes, checks and answers received, and nothing else", () => {
    expect(
      pairActivity([
        { type: "candidate-pair", id: "p1", bytesReceived: 1200, requestsReceived: 3, responsesReceived: 4 },
        { type: "candidate-pair", id: "p2", bytesReceived: 300 },
        { type: "candidate-pair", id: "p3" },
        { type: "transport", id: "t", bytesReceived: 9999 },
        { type: "inbound-rtp", id: "r", bytesReceived: 5 },
      ]),
    ).toBe(1507);
    expect(pairActivity([{ type: "candidate-pair", id: "p", bytesReceived: "x" }])).toBe(0);
  });
});
