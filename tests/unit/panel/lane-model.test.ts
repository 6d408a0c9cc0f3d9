// From timeline entries to state lanes: segments that run from one value to the next, markers for
// steps, colours by meaning, and axis ticks at round numbers.
import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../../../src/engine/watch/timeline";
import { LANES, laneModel, meaningOf, ticks } from "../../../src/panel/lane-model";

const entry = (
  t: number,
  source: TimelineEntry["source"],
  property: string,
  value: string,
): TimelineEntry => ({
  t,
  source,
  property,
  value,
});

describe("laneModel", () => {
  it("puts the channel ends' readyState first", () => {
    expect(LANES.slice(0, 2).map((l) => `${l.source}.${l.property}`)).toEqual([
      "sendChannel.readyState",
      "receiveChannel.readyState",
    ]);
  });

  it("makes one segment per value, each ending where the next begins, the last open to now", () => {
    const model = laneModel([
      entry(0, "session", "step", "connect"),
      entry(7, "sendChannel", "readyState", "connecting"),
      entry(60.2, "sendChannel", "readyState", "open"),
      entry(1520.3, "sendChannel", "readyState", "closed"),
    ]);
    expect(model.segments.map((s) => [s.value, s.start, s.end, s.meaning])).toEqual([
      ["connecting", 7, 60.2, "pending"],
      ["open", 60.2, 1520.3, "up"],
      ["closed", 1520.3, null, "closed"],
    ]);
    expect(model.segments.every((s) => s.lane === 0)).toBe(true);
    expect(model.lastT).toBe(1520.3);
  });

  it("keeps each lane apart and remembers which entry started each segment", () => {
    const model = laneModel([
      entry(1, "localPeer", "iceConnectionState", "new"),
      entry(2, "remotePeer", "iceConnectionState", "new"),
      entry(30, "localPeer", "iceConnectionState", "checking"),
    ]);
    const local = model.segments.filter((s) => LANES[s.lane]?.source === "localPeer");
    expect(local.map((s) => [s.value, s.end, s.entry])).toEqual([
      ["new", 30, 0],
      ["checking", null, 2],
    ]);
    const remote = model.segments.filter((s) => LANES[s.lane]?.source === "remotePeer");
    expect(remote.map((s) => [s.value, s.end])).toEqual([["new", null]]);
  });

  it("turns steps into markers on the lane of the object they are about", () => {
    const model = laneModel([
      entry(5, "localPeer", "step", "offer created"),
      entry(9, "localPeer", "candidate", "gathered host udp ipv4"),
      entry(11, "session", "step", "open"),
    ]);
    const laneOf = (m: { lane: number }) =>
      m.lane < 0 ? "session" : `${LANES[m.lane]?.source}.${LANES[m.lane]?.property}`;
    expect(model.markers.map((m) => [laneOf(m), m.value])).toEqual([
      ["localPeer.signalingState", "offer created"],
      ["localPeer.iceGatheringState", "gathered host udp ipv4"],
      ["session", "open"],
    ]);
    expect(model.segments).toEqual([]);
  });

  it("gives a page connection a lane per channel, named by its label, then its peer's lanes", () => {
    const model = laneModel([
      entry(0, "peer", "signalingState", "stable"),
      { ...entry(1, "channel:2", "readyState", "connecting"), detail: { label: "bulk" } },
      { ...entry(2, "channel:1", "readyState", "connecting"), detail: { label: "chat" } },
      entry(3, "peer", "candidate", "gathered host udp ipv4"),
      entry(9, "channel:1", "readyState", "open"),
    ]);
    expect(model.lanes.map((l) => `${l.label}: ${l.source}.${l.property}`)).toEqual([
      "chat: channel:1.readyState",
      "bulk: channel:2.readyState",
      "connection: peer.connectionState",
      "ICE: peer.iceConnectionState",
      "gathering: peer.iceGatheringState",
      "signaling: peer.signalingState",
      "DTLS: dtls.state",
      "SCTP: sctp.state",
    ]);
    expect(model.segments.filter((s) => s.lane === 0).map((s) => [s.value, s.end])).toEqual([
      ["connecting", 9],
      ["open", null],
    ]);
    expect(model.markers.map((m) => [model.lanes[m.lane]?.property, m.value])).toEqual([
      ["iceGatheringState", "gathered host udp ipv4"],
    ]);
  });

  it("colours values by what they mean", () => {
    expect(["new", "connecting", "checking", "have-local-offer"].map(meaningOf)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending",
    ]);
    expect(["open", "connected", "completed", "stable", "complete"].map(meaningOf)).toEqual(
      Array(5).fill("up"),
    );
    expect(["closing", "disconnected", "failed", "closed"].map(meaningOf)).toEqual([
      "degraded",
      "degraded",
      "failed",
      "closed",
    ]);
  });
});

describe("ticks", () => {
  it("falls on round numbers covering the span", () => {
    expect(ticks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks(0, 95, 4)).toEqual([0, 50]);
    expect(ticks(12.5, 13.4, 4)).toEqual([12.5, 13]);
    expect(ticks(12.5, 13.4, 10)).toEqual([12.5, 12.6, 12.7, 12.8, 12.9, 13, 13.1, 13.2, 13.3, 13.4]);
  });
});
