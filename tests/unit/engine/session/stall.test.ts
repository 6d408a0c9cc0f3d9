import { describe, expect, it } from "vitest";
import { diagnoseStall, isHopeless, type StallSnapshot } from "../../../../src/engine/session/stall";

const base: StallSnapshot = {
  localCandidates: 2,
  remoteCandidates: 2,
  localGathering: "complete",
  remoteGathering: "complete",
  iceConnectionState: "connected",
  connectionState: "connected",
  dtlsState: "connected",
  sctpState: "connected",
  sendChannelState: "connecting",
  elapsedMs: 10_000,
  timeoutMs: 10_000,
};

describe("diagnoseStall", () => {
  it.each([
    [{ negotiationError: "InvalidAccessError: bad sdp" }, "negotiation-failed"],
    [
      { localCandidates: 0, remoteCandidates: 0, iceConnectionState: "new", connectionState: "new" },
      "no-candidates",
    ],
    // With no ICE server, nothing but a missing interface stops host candidates (in an extension page).
    [
      {
        localCandidates: 0,
        remoteCandidates: 0,
        iceConnectionState: "new",
        connectionState: "new",
        usesIceServers: false,
      },
      "no-interface-up",
    ],
    [
      {
        localCandidates: 0,
        remoteCandidates: 0,
        iceConnectionState: "new",
        connectionState: "new",
        usesIceServers: true,
      },
      "no-candidates",
    ],
    [{ iceConnectionState: "checking", connectionState: "connecting", dtlsState: "new" }, "ice-failed"],
    [{ iceConnectionState: "failed", connectionState: "failed", dtlsState: "new" }, "ice-failed"],
    [{ dtlsState: "failed", connectionState: "failed" }, "dtls-failed"],
    // Firefox with UDP dropped: ICE never connected, yet DTLS reads "failed".
    [
      {
        iceConnectionState: "failed",
        iceEverConnected: false,
        dtlsState: "failed",
        connectionState: "failed",
      },
      "ice-failed",
    ],
    [{ iceConnectionState: "disconnected", iceEverConnected: true, dtlsState: "failed" }, "dtls-failed"],
    [{ dtlsState: "connecting", connectionState: "connecting" }, "dtls-failed"],
    [{ sctpState: "connecting" }, "sctp-failed"],
    [{}, "channel-not-opened"],
    [{ receiveChannelState: "connecting" }, "channel-not-opened"],
  ] as const)("%j → %s", (change, code) => {
    const finding = diagnoseStall({ ...base, ...change });
    expect(finding.code).toBe(code);
    expect(finding.level).toBe("fail");
    expect(finding.message.length).toBeGreaterThan(20);
    expect(finding.hint).toBeTruthy();
  });

  it("names the stage when the browser exposes no SCTP or DTLS transport", () => {
    const { dtlsState: _d, sctpState: _s, ...noTransports } = base;
    expect(diagnoseStall(noTransports).code).toBe("channel-not-opened");
  });

  it("says how long it waited", () => {
    expect(
      diagnoseStall({ ...base, localCandidates: 0, remoteCandidates: 0, elapsedMs: 2500 }).message,
    ).toContain("2.5 s");
  });
});

describe("isHopeless", () => {
  it("gives up at once when gathering finished with no candidate anywhere", () => {
    expect(isHopeless({ ...base, localCandidates: 0, remoteCandidates: 0 })).toBe(true);
  });
  it("waits while either side is still gathering", () => {
    expect(
      isHopeless({ ...base, localCandidates: 0, remoteCandidates: 0, remoteGathering: "gathering" }),
    ).toBe(false);
  });
  it("gives up when ICE or DTLS failed", () => {
    expect(isHopeless({ ...base, iceConnectionState: "failed" })).toBe(true);
    expect(isHopeless({ ...base, dtlsState: "failed" })).toBe(true);
  });
  it("keeps waiting on a healthy connection", () => {
    expect(isHopeless(base)).toBe(false);
  });
});

describe("the stall diagnosis with getStats' candidate pairs as evidence", () => {
  const checking = {
    ...base,
    iceConnectionState: "checking",
    connectionState: "connecting",
    dtlsState: "new",
  };
  const pairs = (udp: [number, number, number], tcp: [number, number, number] = [0, 0, 0]) => ({
    udp: { pairs: udp[0], requestsSent: udp[1], responsesReceived: udp[2], succeeded: 0 },
    tcp: { pairs: tcp[0], requestsSent: tcp[1], responsesReceived: tcp[2], succeeded: 0 },
  });

  it("candidates on both sides but not one pair is no-candidate-pairs (Firefox with UDP dropped)", () => {
    const none = { pairs: 0, requestsSent: 0, responsesReceived: 0, succeeded: 0 };
    const f = diagnoseStall({
      ...base,
      iceConnectionState: "failed",
      connectionState: "failed",
      dtlsState: "failed",
      iceEverConnected: false,
      pairs: { udp: none, tcp: none },
    });
    expect(f.code).toBe("no-candidate-pairs");
    expect(f.message).toMatch(/from 2 local and 2 remote candidates/);
    // Without pair statistics there is no evidence either way.
    expect(
      diagnoseStall({
        ...base,
        iceConnectionState: "failed",
        connectionState: "failed",
        dtlsState: "new",
        pairs: null,
      }).code,
    ).toBe("ice-failed");
  });

  it("UDP checks sent and never answered is udp-blocked, with the counts", () => {
    const f = diagnoseStall({ ...checking, pairs: pairs([4, 36, 0], [2, 0, 0]) });
    expect(f.code).toBe("udp-blocked");
    expect(f.message).toMatch(
      /^ICE sent 36 connectivity checks over UDP on 4 candidate pairs and not one was answered .*TCP: 2 pairs, 0 answers\.$/,
    );
  });

  it("stays ice-failed when UDP checks were answered, none were sent, or there is no evidence", () => {
    expect(diagnoseStall({ ...checking, pairs: pairs([4, 36, 3]) }).code).toBe("ice-failed");
    expect(diagnoseStall({ ...checking, pairs: pairs([0, 0, 0]) }).code).toBe("ice-failed");
    expect(diagnoseStall({ ...checking, pairs: null }).code).toBe("ice-failed");
  });
});
