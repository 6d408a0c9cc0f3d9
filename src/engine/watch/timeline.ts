// The timeline: every state transition and step of a session, in milliseconds since Connect.
import { BoundedList } from "../core/bounded-list";
import { describeStep, type StepDetailArgs, type StepDetails, type StepKind } from "./steps";

/** Which object an entry is about: one lane each in the swim-lane view. */
export type TimelineSource =
  | "session"
  | "localPeer"
  | "remotePeer"
  | "localSctp"
  | "remoteSctp"
  | "localDtls"
  | "remoteDtls"
  | "sendChannel"
  | "receiveChannel"
  // The inspected page's connections (engine/page): one peer each, and its channels by number.
  | "peer"
  | "dtls"
  | "sctp"
  | `channel:${number}`;

export interface TimelineEntry {
  /** Milliseconds since Connect, at the clock's resolution. */
  t: number;
  source: TimelineSource;
  /** A state attribute (`readyState`, `iceConnectionState`, …) or a step's column (`step`, `candidate`, `error`, `finding`). */
  property: string;
  /** A state's value, or a step's words (made from its kind and detail: read `kind`, never these). */
  value: string;
  /** Set on steps only: what happened, as data (see steps.ts). */
  kind?: StepKind;
  /** Set when the engine read the value itself because the browser fires no event for it (after close()). */
  synthetic?: boolean;
  /** Set on the values read when recording began ("new", "stable"): where things stood, not an event. */
  read?: boolean;
  detail?: Record<string, string | number | boolean | null>;
}

export const TIMELINE_LIMIT = 2000;

export class Timeline {
  private readonly entries = new BoundedList<TimelineEntry>(TIMELINE_LIMIT);
  private readonly last = new Map<string, string>();
  private origin = 0;
  private originWallClock = "";

  constructor(private readonly now: () => number) {}

  /** Starts a new session's timeline: t = 0 is now. */
  reset(): void {
    this.entries.clear();
    this.last.clear();
    this.origin = this.now();
    this.originWallClock = new Date().toISOString();
  }

  /** The wall-clock time of t = 0, to line the timeline up with other logs (chrome://webrtc-internals). */
  get startedAt(): string {
    return this.originWallClock;
  }

  /** Rounded to microseconds: finer digits are float noise, not measurement. */
  elapsed(): number {
    return Math.round((this.now() - this.origin) * 1000) / 1000;
  }

  /**
   * Records a state value; returns undefined when it repeats the value last recorded for that state.
   * `at` is the event's own time (event.timeStamp, on performance.now()'s clock): handlers run late
   * when the page is busy, and the entry must say when the browser changed state, not when we heard.
   */
  state(
    source: TimelineSource,
    property: string,
    value: string,
    extra: Pick<TimelineEntry, "synthetic" | "detail" | "read"> & { at?: number } = {},
  ): TimelineEntry | undefined {
    const key = `${source}.${property}`;
    if (this.last.get(key) === value) return undefined;
    this.last.set(key, value);
    const { at, ...marks } = extra;
    const t = at === undefined ? this.elapsed() : Math.max(0, Math.round((at - this.origin) * 1000) / 1000);
    return this.add({ t, source, property, value, ...marks });
  }

  /** Records a step (offer created, candidate added, error …); steps always record. */
  step<K extends StepKind>(source: TimelineSource, kind: K, ...[detail]: StepDetailArgs<K>): TimelineEntry {
    return this.add(stepEntry(this.elapsed(), source, kind, detail));
  }

  /**
   * Records an entry whose time another clock gave (the page recorder's, in ms since it started);
   * a state that repeats its last value is not recorded again.
   */
  insert(entry: TimelineEntry): TimelineEntry | undefined {
    if (entry.kind === undefined) {
      const key = `${entry.source}.${entry.property}`;
      if (this.last.get(key) === entry.value) return undefined;
      this.last.set(key, entry.value);
    }
    return this.add(entry);
  }

  lastValue(source: TimelineSource, property: string): string | undefined {
    return this.last.get(`${source}.${property}`);
  }

  list(): TimelineEntry[] {
    return this.entries.toArray();
  }

  get dropped(): number {
    return this.entries.dropped;
  }

  /** Entries kept. */
  get size(): number {
    return this.entries.length;
  }

  /** Lets the `n` oldest entries go, counted in `dropped` (a budget over several timelines). */
  dropOldest(n: number): void {
    this.entries.dropOldest(n);
  }

  /** Entries stay in time order, even when an event's own time precedes one already recorded. */
  private add(entry: TimelineEntry): TimelineEntry {
    this.entries.pushInOrder(entry, (existing) => existing.t > entry.t);
    return entry;
  }
}

/** A step's entry: its column and words made from its kind and detail, the detail kept as data. */
export function stepEntry<K extends StepKind>(
  t: number,
  source: TimelineSource,
  kind: K,
  detail?: StepDetails[K],
): TimelineEntry {
  const fields = (detail ?? {}) as StepDetails[K];
  const data = fields as TimelineEntry["detail"];
  return {
    t,
    source,
    ...describeStep(kind, fields),
    kind,
    ...(data && Object.keys(data).length > 0 ? { detail: data } : {}),
  };
}
