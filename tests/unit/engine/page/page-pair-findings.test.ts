// The rule that reads two of the page's connections together: it pairs them only by the endpoint
// keys their descriptions carried, and names a negotiated id that differs between the two ends.
import { describe, expect, it } from "vitest";
import type { RecordedChannel } from "../../../../src/engine/page/page-batch";
import {
  endpointsOf,
  negotiatedIdFindings,
  otherEnd,
  type PeerFacts,
} from "../../../../src/engine/page/page-pair-findings";
import { describeDescription, endpointKey } from "../../../../src/engine/watch/call-details";
import { stepEntry } from "../../../../src/engine/watch/timeline";

const A = endpointKey("sha-256 AA:BB");
const B = endpointKey("sha-256 CC:DD");
const C = endpointKey("sha-256 EE:FF");

const descriptions = (local: string | undefined, remote: string | undefined) => [
  stepEntry(1, "peer", "local-description-set", {
    type: "offer",
    candidates: 0,
    data: true,
    endpoint: local,
  }),
  stepEntry(2, "peer", "remote-description-set", {
    type: "answer",
    candidates: 0,
    data: true,
    endpoint: remote,
  }),
];

const channel = (label: string, streamId: number | null, negotiated = true): RecordedChannel => ({
  id: 1,
  label,
  side: "local",
  streamId,
  ordered: true,
  maxRetransmits: null,
  maxPacketLifeTime: null,
  negotiated,
  readyState: "open",
  messagesSent: 3,
  bytesSent: 30,
  messagesReceived: 0,
  bytesReceived: 0,
  bufferedAmountPeak: 0,
  sendErrors: 0,
  lastSendError: null,
  waitsForLow: false,
  closedLocally: false,
});

const peer = (
  id: number,
  local: string | undefined,
  remote: string | undefined,
  channels: RecordedChannel[],
): PeerFacts => ({
  id,
  endpoints: endpointsOf(descriptions(local, remote)),
  channels,
});

describe("endpoint keys", () => {
  it("are made from a description's DTLS fingerprint, never keep it, and are absent without one", () => {
    const sdp = "v=0\r\na=fingerprint:sha-256 AA:BB\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";
    const detail = describeDescription({ type: "offer", sdp });
    expect(detail.endpoint).toBe(A);
    expect(JSON.stringify(detail)).not.toContain("AA:BB");
    expect(describeDescription({ type: "offer", sdp: "v=0\r\n" }).endpoint).toBeUndefined();
  });

  it("are read from the last descriptions set, and only in their own shape", () => {
    expect(endpointsOf(descriptions(A, B))).toEqual({ local: A, remote: B });
    expect(endpointsOf(descriptions("<img>", B))).toEqual({ local: null, remote: B });
  });
});

describe("page-negotiated-id-mismatch", () => {
  it("names a negotiated channel whose other end, in the page, took another id", () => {
    const offerer = peer(1, A, B, [channel("chat", 0)]);
    const answerer = peer(2, B, A, [channel("chat", 1)]);
    const other = otherEnd(offerer, [offerer, answerer]);
    expect(other?.id).toBe(2);
    const [found, ...rest] = negotiatedIdFindings(offerer, other);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ code: "page-negotiated-id-mismatch", level: "fail" });
    expect(found?.message).toBe(
      'Channel "chat" is negotiated with id 0 here, and with id 1 at its other end (connection 2, in this page): negotiated channels pair by id, so neither end receives what the other sends.',
    );
    expect(found?.hint).toMatch(/same id/);
  });

  it("is silent where the ids match, or the other end negotiated no channel of that label", () => {
    const offerer = peer(1, A, B, [channel("chat", 3)]);
    expect(negotiatedIdFindings(offerer, peer(2, B, A, [channel("chat", 3)]))).toEqual([]);
    expect(negotiatedIdFindings(offerer, peer(2, B, A, [channel("other", 4)]))).toEqual([]);
    expect(negotiatedIdFindings(offerer, peer(2, B, A, [channel("chat", 4, false)]))).toEqual([]);
    expect(
      negotiatedIdFindings(peer(1, A, B, [channel("chat", 3, false)]), peer(2, B, A, [channel("chat", 4)])),
    ).toEqual([]);
  });

  it("is silent without proof that the two are each other's ends", () => {
    const offerer = peer(1, A, B, [channel("chat", 0)]);
    // A stranger: its descriptions are not the offerer's the other way round.
    expect(otherEnd(offerer, [offerer, peer(2, C, A, [channel("chat", 1)])])).toBeNull();
    // No endpoint keys (an old recorder, or descriptions without a fingerprint).
    expect(otherEnd(peer(1, undefined, undefined, []), [peer(2, B, A, [])])).toBeNull();
    expect(negotiatedIdFindings(offerer, null)).toEqual([]);
  });
});
