// What the page recorder keeps until the panel has acknowledged it: the event log (numbered, bounded,
// oldest dropped and counted) and the connections and channels it tracks (bounded, the rest counted
// as untracked).
import { utf8Length } from "../engine/core/rates";
import { RECORDER_CAPS, type RecordedChannel, type RecordedEvent } from "../engine/page/page-batch";
import type { PairSummary } from "../engine/watch/pair-stats";

/** Events kept until acknowledged; beyond it the oldest go and are counted. */
const MAX_EVENTS = 2000;
export const MAX_CONNECTIONS = RECORDER_CAPS.connections;
export const MAX_CHANNELS = RECORDER_CAPS.channels;
export const MAX_TEXT = 200;

export type Detail = RecordedEvent["d"];

export interface ChannelRecord extends RecordedChannel {
  channel: RTCDataChannel;
}

export interface ConnectionRecord {
  id: number;
  channels: ChannelRecord[];
  untrackedChannels: number;
  closedLocally: boolean;
  /** Held weakly: a closed connection the page let go of must be freed (Chrome limits how many live). */
  peer: WeakRef<RTCPeerConnection> | null;
  /** The latest getStats summary of its paths; null until one was read. */
  stats: PairSummary | null;
}

export class RecorderState {
  events: RecordedEvent[] = [];
  dropped = 0;
  /** The number the next event gets: the panel acknowledges by number. */
  private next = 1;
  untrackedConnections = 0;
  readonly connections: ConnectionRecord[] = [];
  readonly connectionsByObject = new WeakMap<RTCPeerConnection, ConnectionRecord>();
  readonly channelsByObject = new WeakMap<RTCDataChannel, ChannelRecord>();
  private readonly nativeAdd = EventTarget.prototype.addEventListener;
  private readonly nativeSetInterval = setInterval.bind(globalThis);
  private readonly nativeClearInterval = clearInterval.bind(globalThis);
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  /** Set once the recorder is removed: nothing more is recorded or sampled. */
  stopped = false;
  private readonly now = performance.now.bind(performance);
  private readonly started = this.now();

  /** Runs `tick` every `ms` until the recorder is removed. */
  every(ms: number, tick: () => void): void {
    this.timers.push(this.nativeSetInterval(tick, ms));
  }

  /** The recorder is removed: its timers end, and it records nothing more. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) this.nativeClearInterval(timer);
    this.events = [];
  }

  /** Listens with the native addEventListener: the page's own wrappers never see the recorder. */
  listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    this.nativeAdd.call(target, type, handler);
  }

  /** An event, timed by its own timeStamp. */
  record(c: number, s: string, p: string, v: string, event?: Event, d?: Detail): void {
    this.push({
      n: this.next++,
      c,
      t: this.at(event),
      s,
      p,
      v: String(v).slice(0, MAX_TEXT),
      ...(d ? { d } : {}),
    });
  }

  /** A value read, not an event: where things stood when tracking began, or after close(). */
  read(c: number, s: string, p: string, v: string, d?: Detail): void {
    this.push({
      n: this.next++,
      c,
      t: this.at(),
      s,
      p,
      v: String(v).slice(0, MAX_TEXT),
      r: true,
      ...(d ? { d } : {}),
    });
  }

  /**
   * The events the panel has not acknowledged: those up to `acked` are let go first. A drain whose
   * answer never reached the panel (a page too busy to answer in time) loses nothing: its events
   * come again with the next one.
   */
  unacknowledged(acked: number): RecordedEvent[] {
    const kept = this.events.findIndex((e) => (e.n ?? 0) > acked);
    this.events = kept < 0 ? [] : this.events.slice(kept);
    return this.events.slice();
  }

  private at(event?: Event): number {
    return Math.max(0, Math.round(((event ? event.timeStamp : this.now()) - this.started) * 1000) / 1000);
  }

  private push(entry: RecordedEvent): void {
    if (this.stopped) return;
    if (this.events.length >= MAX_EVENTS) {
      this.events = this.events.slice(MAX_EVENTS / 2);
      this.dropped += MAX_EVENTS / 2;
    }
    this.events[this.events.length] = entry;
  }
}

export function sizeOf(data: unknown): number {
  if (typeof data === "string") return utf8Length(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob === "function" && data instanceof Blob) return data.size;
  return 0;
}
