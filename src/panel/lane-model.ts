// From timeline entries to what the state lanes draw: one lane per object and state, each a row of
// labelled segments (a value from when it was recorded until the next), plus step markers. Pure, so
// the rules are unit-tested without a DOM.
import type { TimelineEntry, TimelineSource } from "../engine/watch/timeline";

/** One lane: an object's state. The channel ends come first: readyState is what the panel is about. */
export interface LaneSpec {
  source: TimelineSource;
  property: string;
  /** Short, for the lane's label; the accessible names use source and property in full. */
  label: string;
}

export const LANES: readonly LaneSpec[] = [
  { source: "sendChannel", property: "readyState", label: "sendChannel" },
  { source: "receiveChannel", property: "readyState", label: "receiveChannel" },
  ...(["local", "remote"] as const).flatMap((peer) => [
    { source: `${peer}Peer` as const, property: "connectionState", label: `${peer} connection` },
    { source: `${peer}Peer` as const, property: "iceConnectionState", label: `${peer} ICE` },
    { source: `${peer}Peer` as const, property: "iceGatheringState", label: `${peer} gathering` },
    { source: `${peer}Peer` as const, property: "signalingState", label: `${peer} signaling` },
    { source: `${peer}Dtls` as const, property: "state", label: `${peer} DTLS` },
    { source: `${peer}Sctp` as const, property: "state", label: `${peer} SCTP` },
  ]),
];

/** Which lane a step marker goes on: the object it is about, in the lane that best shows it. */
function markerLane(entry: TimelineEntry): number {
  const find = (property: string) =>
    LANES.findIndex((lane) => lane.source === entry.source && lane.property === property);
  if (entry.source === "sendChannel" || entry.source === "receiveChannel") return find("readyState");
  if (entry.source === "localPeer" || entry.source === "remotePeer")
    return find(entry.property === "candidate" ? "iceGatheringState" : "signalingState");
  if (entry.source === "session") return -1;
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

export const MEANING_NAMES: Record<Meaning, string> = {
  pending: "on its way (new, connecting, checking, gathering)",
  up: "up (open, connected, stable, complete)",
  degraded: "degraded (closing, disconnected)",
  failed: "failed",
  closed: "closed",
};

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
  segments: Segment[];
  markers: Marker[];
  /** The latest time any entry has. */
  lastT: number;
}

export function laneModel(entries: readonly TimelineEntry[]): LaneModel {
  const segments: Segment[] = [];
  const markers: Marker[] = [];
  const open = new Map<number, Segment>();
  let lastT = 0;
  entries.forEach((entry, index) => {
    lastT = Math.max(lastT, entry.t);
    const lane = LANES.findIndex((l) => l.source === entry.source && l.property === entry.property);
    if (lane < 0) {
      markers.push({
        lane: markerLane(entry),
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
  return { segments, markers, lastT };
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
