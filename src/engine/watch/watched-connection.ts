// A watched connection: the engine's central idea. Whatever made the connection (the panel's own
// loopback, the inspected page's connections, an ICE-server check), watching it yields
// the same things: a timeline of every state and step, traffic counters with rates, and findings.
// Producers write here; views subscribe to the events and render any watched connection alike.
import type { Finding } from "../../contract/findings";
import { Emitter } from "../core/emitter";
import type { StepDetailArgs, StepKind } from "./steps";
import { Timeline, type TimelineEntry, type TimelineSource } from "./timeline";
import { type Counters, TrafficCounters } from "./traffic-counters";

/** Who made the connection being watched. */
export type WatchedKind = "loopback" | "page" | "ice-check" | "dump";

export interface WatchedEvents {
  /** A new recording began: everything drawn so far belongs to an earlier one. */
  reset: WatchedConnection;
  /** The connection can change no more (closed, or it failed before it started). */
  finished: WatchedConnection;
  timeline: TimelineEntry;
  counters: Counters;
  findings: readonly Finding[];
}

const SAMPLE_INTERVAL_MS = 250;

export class WatchedConnection {
  readonly events = new Emitter<WatchedEvents>();
  readonly timeline: Timeline;
  private readonly traffic = new TrafficCounters();
  private findingList: Finding[] = [];
  private sampler: ReturnType<typeof setInterval> | undefined;
  private recording = false;

  constructor(
    readonly kind: WatchedKind,
    readonly label: string,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timeline = new Timeline(now);
  }

  /** Starts a new recording: t = 0 is now; the timeline, counters and findings start empty. */
  begin(): void {
    this.stopSampling();
    this.timeline.reset();
    this.traffic.reset();
    this.findingList = [];
    this.recording = true;
    this.events.emit("reset", this);
    this.events.emit("findings", []);
    this.events.emit("counters", this.traffic.snapshot());
  }

  /** Records a state value; nothing when it repeats the value last recorded for that state. */
  state(...args: Parameters<Timeline["state"]>): TimelineEntry | undefined {
    const entry = this.timeline.state(...args);
    if (entry) this.events.emit("timeline", entry);
    return entry;
  }

  /** Records a step (offer created, candidate added, an error…); steps always record. */
  step<K extends StepKind>(source: TimelineSource, kind: K, ...detail: StepDetailArgs<K>): TimelineEntry {
    const entry = this.timeline.step(source, kind, ...detail);
    this.events.emit("timeline", entry);
    return entry;
  }

  /** Records an entry timed by another clock (see Timeline.insert). */
  insert(entry: TimelineEntry): void {
    if (this.timeline.insert(entry)) this.events.emit("timeline", entry);
  }

  /** Counters a producer keeps itself (the page recorder counts every send and message). */
  setTotals(totals: Parameters<TrafficCounters["setTotals"]>[0]): void {
    this.traffic.setTotals(totals);
  }

  /** True from begin() until finish(): its states can still change, so "now" still moves. */
  get live(): boolean {
    return this.recording;
  }

  finish(): void {
    if (!this.recording) return;
    this.recording = false;
    this.events.emit("finished", this);
  }

  get findings(): Finding[] {
    return this.findingList.slice();
  }

  setFindings(findings: Finding[]): void {
    this.findingList = findings.slice();
    this.events.emit("findings", this.findings);
  }

  sent(bytes: number): void {
    this.traffic.sent(bytes);
  }

  received(bytes: number): void {
    this.traffic.received(bytes);
  }

  counters(): Counters {
    return this.traffic.snapshot();
  }

  /** Publishes the counters and their rates every 250 ms while traffic can flow. */
  startSampling(): void {
    this.stopSampling();
    const tick = () => this.events.emit("counters", this.traffic.sample(this.now()));
    tick();
    this.sampler = setInterval(tick, SAMPLE_INTERVAL_MS);
  }

  stopSampling(): void {
    if (this.sampler === undefined) return;
    clearInterval(this.sampler);
    this.sampler = undefined;
    this.events.emit("counters", this.traffic.snapshot());
  }
}
