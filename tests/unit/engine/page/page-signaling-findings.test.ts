// The rules that read the page's own calls: each names what the recorder saw, and each stays silent
// where the evidence is missing.
import { describe, expect, it } from "vitest";
import {
  ANSWER_WAIT_MS,
  REMOTE_CANDIDATES_WAIT_MS,
  signalingFindings,
} from "../../../../src/engine/page/page-signaling-findings";
import type { StepDetailArgs, StepKind } from "../../../../src/engine/watch/steps";
import { stepEntry, type TimelineEntry } from "../../../../src/engine/watch/timeline";

const step = <K extends StepKind>(t: number, kind: K, ...[detail]: StepDetailArgs<K>): TimelineEntry =>
  stepEntry(t, "peer", kind, detail);
const state = (t: number, property: string, value: string): TimelineEntry => ({
  t,
  source: "peer",
  property,
  value,
});
const host = { type: "host", protocol: "udp", family: "mdns", mdns: true, loopback: false };
const codes = (entries: TimelineEntry[], nowT = 60_000) =>
  signalingFindings({ entries, nowT }).map((f) => f.code);

/** The commonest bug: descriptions exchanged before gathering, candidates never passed across. */
const noCandidatesPassed = [
  state(0, "signalingState", "stable"),
  step(1, "offer-created"),
  step(2, "local-description-set", { type: "offer", candidates: 0, data: true }),
  state(2, "signalingState", "have-local-offer"),
  step(3, "candidate-gathered", host),
  step(20, "remote-description-set", { type: "answer", candidates: 0, data: true }),
  state(20, "signalingState", "stable"),
  state(21, "iceConnectionState", "new"),
];

describe("page-no-remote-candidates", () => {
  it("names a connection no remote candidate ever reached, once ICE had time to use one", () => {
    const [found] = signalingFindings({ entries: noCandidatesPassed, nowT: 20 + REMOTE_CANDIDATES_WAIT_MS });
    expect(found?.code).toBe("page-no-remote-candidates");
    expect(found?.message).toBe(
      'No remote ICE candidate ever reached this connection: its remote description (answer, set at 20.0 ms) held none, and the page never called addIceCandidate. ICE is "new".',
    );
  });

  it("waits before saying so, and stays silent when a candidate came, or without a remote description", () => {
    expect(codes(noCandidatesPassed, 20 + REMOTE_CANDIDATES_WAIT_MS - 1)).toEqual([]);
    expect(codes([...noCandidatesPassed, step(30, "candidate-added", host)])).toEqual([]);
    expect(codes([...noCandidatesPassed, step(30, "end-of-candidates")])).toEqual([]);
    expect(codes(noCandidatesPassed.filter((e) => e.kind !== "remote-description-set"))).not.toContain(
      "page-no-remote-candidates",
    );
    const trickleInSdp = noCandidatesPassed.map((e) =>
      e.kind === "remote-description-set"
        ? step(20, "remote-description-set", { type: "answer", candidates: 2 })
        : e,
    );
    expect(codes(trickleInSdp)).toEqual([]);
    // A description whose candidates the recorder could not count is no evidence either way.
    const uncounted = noCandidatesPassed.map((e) =>
      e.kind === "remote-description-set" ? step(20, "remote-description-set", { type: "answer" }) : e,
    );
    expect(codes(uncounted)).toEqual([]);
  });
});

describe("page-call-failed", () => {
  it("names the call, how often, the browser's words, and a candidate added before the remote description", () => {
    const entries = [
      step(1, "call-failed", {
        method: "addIceCandidate",
        error: "InvalidStateError: The remote description was null",
      }),
      step(2, "call-failed", {
        method: "addIceCandidate",
        error: "InvalidStateError: The remote description was null",
      }),
      step(5, "remote-description-set", { type: "offer", candidates: 0 }),
    ];
    const [found] = signalingFindings({ entries, nowT: 6 });
    expect(found?.code).toBe("page-call-failed");
    expect(found?.message).toBe(
      "addIceCandidate() failed 2 times; the first, at 1.00 ms: InvalidStateError: The remote description was null. Each was added before any remote description was set.",
    );
    expect(found?.hint).toMatch(/queue them until setRemoteDescription has resolved/);
  });

  it("gives a refused description the browser's words, one finding per call", () => {
    const entries = [
      step(1, "call-failed", {
        method: "setRemoteDescription",
        error: "OperationError: Failed to parse SessionDescription.",
      }),
      step(2, "call-failed", { method: "createAnswer", error: "InvalidStateError: no remote offer" }),
    ];
    const found = signalingFindings({ entries, nowT: 3 });
    expect(found.map((f) => f.message)).toEqual([
      "setRemoteDescription() failed once; the first, at 1.00 ms: OperationError: Failed to parse SessionDescription.",
      "createAnswer() failed once; the first, at 2.00 ms: InvalidStateError: no remote offer.",
    ]);
    expect(found[0]?.hint).toMatch(/refused the description/);
  });

  it("stays silent where no call failed", () => {
    expect(codes([step(1, "offer-created")])).toEqual([]);
  });
});

describe("page-signaling-stalled", () => {
  const offered = [
    step(2, "local-description-set", { type: "offer", candidates: 0 }),
    state(2, "signalingState", "have-local-offer"),
  ];

  it("names an offer never answered, once the wait is over", () => {
    expect(codes(offered, 2 + ANSWER_WAIT_MS - 1)).toEqual([]);
    const [found] = signalingFindings({ entries: offered, nowT: 2 + ANSWER_WAIT_MS });
    expect(found?.message).toBe(
      'The page set its offer at 2.00 ms, and no answer was set in the 10 s since (signaling state "have-local-offer").',
    );
  });

  it("names a received offer never answered, and is silent once signaling is stable again", () => {
    const received = [
      step(2, "remote-description-set", { type: "offer", candidates: 1 }),
      state(2, "signalingState", "have-remote-offer"),
    ];
    expect(signalingFindings({ entries: received, nowT: 60_000 })[0]?.message).toMatch(
      /^The page received an offer at 2.00 ms and has not answered it/,
    );
    expect(codes([...offered, state(50, "signalingState", "stable")])).toEqual([]);
  });
});

describe("TURN: page-turn-refused and page-no-relay", () => {
  const relayOnly = step(0, "configuration", {
    servers: 1,
    urls: "turn:192.0.2.1:3478?transport=udp",
    policy: "relay",
    bundle: "balanced",
  });
  const refused = step(5, "candidate-error", {
    code: 401,
    text: "Unauthorized",
    url: "turn:192.0.2.1:3478?transport=udp",
  });

  it("names the server that refused the credentials, and a relay-only connection left without a relay", () => {
    const entries = [relayOnly, refused, { ...refused, t: 6 }, state(10, "iceGatheringState", "complete")];
    const found = signalingFindings({ entries, nowT: 11 });
    expect(found.map((f) => f.message)).toEqual([
      "The TURN server turn:192.0.2.1:3478?transport=udp refused the page's credentials (error 401, 2 times).",
      "The page asks for relay only, and gathering finished without a relay candidate (1 ICE server configured: turn:192.0.2.1:3478?transport=udp); the servers answered 401 from turn:192.0.2.1:3478?transport=udp.",
    ]);
  });

  it("stays silent on a 701 from elsewhere, on a relay that came, and while gathering goes on", () => {
    const unreachable = step(5, "candidate-error", {
      code: 701,
      text: "unreachable",
      url: "stun:192.0.2.1:3478",
    });
    expect(codes([unreachable])).toEqual([]);
    const relay = step(7, "candidate-gathered", { ...host, type: "relay", family: "ipv4", mdns: false });
    expect(codes([relayOnly, relay, state(10, "iceGatheringState", "complete")])).toEqual([]);
    expect(codes([relayOnly, state(3, "iceGatheringState", "gathering")])).toEqual([]);
  });
});
