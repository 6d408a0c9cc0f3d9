// The timeline: every state transition and step of a session, in milliseconds since Connect.
import { BoundedList } from "../core/bounded-list";

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
  | "receiveChannel";

export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  "session",
  "localPeer",
  "remotePeer",
  "localDtls",
  "remoteDtls",
  "localSctp",
  "remoteSctp",
  "sendChannel",
  "receiveChannel",
];

export interface TimelineEntry {
  /** Milliseconds since Connect, at the clock's resolution. */
  t: number;
  source: TimelineSource;
  /** A state attribute (`readyState`, `iceConnectionState`, …) or a step (`step`, `candidate`, `error`). */
  property: string;
  value: string;
  /** Set when the engine read the value itself because the browser fires no event for it (after close()). */
  synthetic?: boolean;
  detail?: Record<string, string | number | boolean | null>;
}

export const TIMELINE_LIMIT = 2000;

export class Timeline {
  private readonly entries = new BoundedList<TimelineEntry>(TIMELINE_LIMIT);
  private readonly last = new Map<string, string>();
  private origin = 0;

  constructor(private readonly now: () => number) {}

  /** Starts a new session's timeline: t = 0 is now. */
  reset(): void {
    this.entries.clear();
    this.last.clear();
    this.origin = this.now();
  }

  /** Rounded to microseconds: finer digits are float noise, not measurement. */
  elapsed(): number {
    return Math.round((this.now() - this.origin) * 1000) / 1000;
  }

  /** Records a state value; returns undefined when it repeats the value last recorded for that state. */
  state(
    source: TimelineSource,
    property: string,
    value: string,
    extra: Pick<TimelineEntry, "synthetic" | "detail"> = {},
  ): TimelineEntry | undefined {
    const key = `${source}.${property}`;
    if (this.last.get(key) === value) return undefined;
    this.last.set(key, value);
    return this.add({ t: this.elapsed(), source, property, value, ...extra });
  }

  /** Records a step (offer created, candidate added, error …); steps always record. */
  step(
    source: TimelineSource,
    property: string,
    value: string,
    detail?: TimelineEntry["detail"],
  ): TimelineEntry {
    return this.add({ t: this.elapsed(), source, property, value, ...(detail ? { detail } : {}) });
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

  private add(entry: TimelineEntry): TimelineEntry {
    this.entries.push(entry);
    return entry;
  }
}
