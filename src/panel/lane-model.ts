// From timeline entries to what the state lanes draw: one lane per object and state, each a row of
// labelled segments (a value from when it was recorded until the next), plus step markers. Pure, so
// the rules are unit-tested without a DOM.
import type { TimelineEntry, TimelineSource } from "../engine/watch/timeline";

/** One lane: an object's state. The channel ends come first: readyState is what the panel is about. */
export interface LaneSpec {
  source: TimelineSource;
  property: string;
  /** Short, for the lane's label under its group's header; tooltips and accessible names use source and property in full. */
  label: string;
  /** The group whose header it sits under, and which collapses together: "channels", "local peer", "remote peer", "peer". */
  group: string;
}

export const LANES: readonly LaneSpec[] = [
  { source: "sendChannel", property: "readyState", label: "send", group: "channels" },
  { source: "receiveChannel", property: "readyState", label: "receive", group: "channels" },
  ...(["local", "remote"] as const).flatMap((peer) => {
    const group = `${peer} peer`;
    return [
      { source: `${peer}Peer` as const, property: "connectionState", label: "connection", group },
      { source: `${peer}Peer` as const, property: "iceConnectionState", label: "ICE", group },
      { source: `${peer}Peer` as const, property: "iceGatheringState", label: "gathering", group },
      { source: `${peer}Peer` as const, property: "signalingState", label: "signaling", group },
      { source: `${peer}Dtls` as const, property: "state", label: "DTLS", group },
      { source: `${peer}Sctp` as const, property: "state", label: "SCTP", group },
    ];
  }),
];

const PAGE_PEER_LANES: readonly LaneSpec[] = [
  { source: "peer", property: "connectionState", label: "connection", group: "peer" },
  { source: "peer", property: "iceConnectionState", label: "ICE", group: "peer" },
  { source: "peer", property: "iceGatheringState", label: "gathering", group: "peer" },
  { source: "peer", property: "signalingState", label: "signaling", group: "peer" },
  { source: "dtls", property: "state", label: "DTLS", group: "peer" },
  { source: "sctp", property: "state", label: "SCTP", group: "peer" },
];

/**
 * The lanes for these entries: the loopback's fixed set, or for a page connection (one peer, its
 * channels by number) a lane per channel, named by its label, then the peer's.
 */
function lanesFor(entries: readonly TimelineEntry[]): readonly LaneSpec[] {
  if (!entries.some((e) => e.source === "peer" || e.source.startsWith("channel:"))) return LANES;
  const channels = new Map<TimelineSource, string>();
  for (const e of entries) {
    if (!e.source.startsWith("channel:") || channels.has(e.source)) continue;
    const label = typeof e.detail?.label === "string" ? e.detail.label : e.source;
    channels.set(e.source, label);
  }
  const channelLanes = [...channels]
    .sort(([a], [b]) => Number(a.slice(8)) - Number(b.slice(8)))
    .map(([source, label]) => ({ source, property: "readyState", label, group: "channels" }));
  return [...channelLanes, ...PAGE_PEER_LANES];
}

/** Which lane a step marker goes on: the object it is about, in the lane that best shows it. */
function markerLane(entry: TimelineEntry, lanes: readonly LaneSpec[]): number {
  const find = (property: string) =>
    lanes.findIndex((lane) => lane.source === entry.source && lane.property === property);
  if (entry.source === "session") return -1;
  if (
    entry.source === "sendChannel" ||
    entry.source === "receiveChannel" ||
    entry.source.startsWith("channel:")
  )
    return find("readyState");
  if (entry.source === "localPeer" || entry.source === "remotePeer" || entry.source === "peer")
    return find(entry.property === "candidate" ? "iceGatheringState" : "signalingState");
  return find("state");
}

export type Meaning = "pending" | "up" | "degraded" | "failed" | "closed";

const MEANING: Record<string, Meaning> = {
  open: "up",
  connected: "up",
  completed: "up",
  stable: "up",
  complete: "up",
  closing: "degraded",
  disconnected: "degraded",
  failed: "failed",
  closed: "closed",
};

/** What a state value means, for its colour: anything not listed is on its way (new, connecting, checking…). */
export function meaningOf(value: string): Meaning {
  return MEANING[value] ?? "pending";
}

export interface Segment {
  lane: number;
  /** The entry that started it: its index in the entries given, for selecting its table row. */
  entry: number;
  value: string;
  start: number;
  /** null: still the current value ("to now"). */
  end: number | null;
  synthetic: boolean;
  meaning: Meaning;
}

export interface Marker {
  /** -1: the session's own lane. */
  lane: number;
  entry: number;
  t: number;
  property: string;
  value: string;
}

export interface LaneModel {
  lanes: readonly LaneSpec[];
  segments: Segment[];
  markers: Marker[];
  /** The latest time any entry has. */
  lastT: number;
}

export function laneModel(entries: readonly TimelineEntry[]): LaneModel {
  const lanes = lanesFor(entries);
  const segments: Segment[] = [];
  const markers: Marker[] = [];
  const open = new Map<number, Segment>();
  let lastT = 0;
  entries.forEach((entry, index) => {
    lastT = Math.max(lastT, entry.t);
    const lane = lanes.findIndex((l) => l.source === entry.source && l.property === entry.property);
    if (lane < 0) {
      markers.push({
        lane: markerLane(entry, lanes),
        entry: index,
        t: entry.t,
        property: entry.property,
        value: entry.value,
      });
      return;
    }
    const previous = open.get(lane);
    if (previous) previous.end = entry.t;
    const segment: Segment = {
      lane,
      entry: index,
      value: entry.value,
      start: entry.t,
      end: null,
      synthetic: entry.synthetic === true,
      meaning: meaningOf(entry.value),
    };
    segments.push(segment);
    open.set(lane, segment);
  });
  return { lanes, segments, markers, lastT };
}

/** Tick marks for a time axis from `start` to `end` ms, about `wanted` of them, at 1, 2 or 5 × 10^n ms. */
export function ticks(start: number, end: number, wanted: number): number[] {
  const span = Math.max(end - start, 1e-3);
  const rough = span / Math.max(1, wanted);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const first = Math.ceil(start / step) * step;
  const marks: number[] = [];
  for (let t = first; t <= end + step * 1e-9; t += step) marks.push(Math.round(t * 1e6) / 1e6);
  return marks;
}
