// The throughput run's contract: its result, progress and events, and the bounds it ends by
// (throughput-run.ts runs it).

import type { ThroughputInterval } from "./intervals";
import type { RunEvents, RunPhaseEvent } from "./run-phase";
import type { SteadyRate } from "./steady-state";
import type { ThroughputSettings } from "./throughput-options";

export interface ThroughputResult {
  /** When the run ended (ISO time); set by the runs for the person's own runs and the diagnosis's. */
  endedAt?: string;
  settings: ThroughputSettings;
  /** Bytes delivered intact. */
  bytes: number;
  /** Messages delivered intact (distinct sequence numbers). */
  messages: number;
  /** Bytes handed to send(). */
  bytesSent: number;
  messagesSent: number;
  /** From the first send() to the last message received, in ms. */
  durationMs: number;
  /** bytes ÷ durationMs, per second (bytes, not bits; MB/s in the panel is 10^6 of these). */
  bytesPerSecond: number;
  messagesPerSecond: number;
  /** Sent and never arrived (for a cancelled run: only gaps below the highest sequence number received). */
  lost: number;
  outOfOrder: number;
  corrupted: number;
  duplicated: number;
  /** Of a cancelled or cut run: still on the way when it stopped, discarded with the channel. 0 otherwise. */
  inFlight: number;
  /**
   * Set when a reliable run stopped waiting for its queue to drain (a link too slow to carry what was
   * queued): how long it had drained, DRAIN_MAX_MS or less where the path's rate showed that not one
   * more message could arrive within it. Its figures are what arrived by then.
   */
  drainCutMs?: number;
  /**
   * Of a run cut before DRAIN_MAX_MS, as not one more message could arrive whole within it: how long
   * what it still owed would have taken at the path's rate, in ms.
   */
  drainProjectedMs?: number;
  /**
   * Of a cut run: what the receiving end took off the wire per second over the run (ICE's byte count,
   * packet overhead included), where the browser said. A link that carries bytes slowly is not one
   * that carries none, even when not one message completed.
   */
  pathBytesPerSecond?: number;
  cancelled: boolean;
  /** Why a cancelled run stopped; null for a complete one. */
  cancelReason: string | null;
  /** The run stopped because the connection was lost under it (not Stop, not a closed channel). */
  connectionLost: boolean;
  /** Delivered bytes per 250 ms interval, from the first send. */
  intervals: ThroughputInterval[];
  /** Oldest intervals dropped from a very long run to keep memory flat. */
  intervalsDropped: number;
  peakBytesPerSecond: number;
  /**
   * The sustained rate: from where two 1 s windows agreed to when sending stopped (steady-state.ts).
   * The headline figure; `bytesPerSecond` above includes the ramp-up. Null when nothing arrived.
   */
  steady: SteadyRate | null;
}

/** The figure to quote for a run: its steady rate where it has one (reports before it had none). */
export function headlineRate(t: { bytesPerSecond: number; steady?: SteadyRate | null }): number {
  return t.steady?.bytesPerSecond ?? t.bytesPerSecond;
}

interface ThroughputProgress {
  /** The interval just closed. */
  interval: ThroughputInterval;
  bytes: number;
  messages: number;
  bytesSent: number;
  elapsedMs: number;
}

export interface ThroughputEvents {
  "run-phase": RunPhaseEvent;
  "throughput-progress": ThroughputProgress;
  "throughput-result": ThroughputResult;
}

/**
 * A reliable run ends when all has arrived; this long without any arrival, without the send queue
 * going down and without the connection receiving bytes, plus the time one message takes at
 * STALL_FLOOR bytes per second, means it never will. (A 16 MiB message can take seconds on a loaded
 * machine, and arrives all at once; on a 256 kbit/s link a 256 KiB message takes 8 s, but its bytes
 * cross the link all along.)
 */
export const STALL_MS = 5000;
/**
 * The most a reliable run waits for its queue to drain once sending stopped, however alive the link:
 * at 32 kbit/s a queue of a few MiB would take minutes, and every wait has a bound.
 */
export const DRAIN_MAX_MS = 30_000;
/**
 * A draining run reads the path's rate this often, and stops waiting once, at that rate, not one
 * more message could arrive whole within the rest of DRAIN_MAX_MS: waiting could change nothing, and
 * kept the link saturated (at 32 kbit/s, 30 s more, long enough for Firefox's ICE consent checks to
 * be lost behind the queue: its connection failed in 1 run of 3).
 */
export const DRAIN_PROJECT_EVERY_MS = 2000;
export const STALL_FLOOR = 1e6;
/** A partially reliable run ends once the queue is empty and nothing has arrived for this long (or the packet lifetime, if longer). */
export const QUIET_MS = 500;

export interface RunContext {
  /** Aborted by Stop. (The session's own signal ends the run too.) */
  signal: AbortSignal;
  events: RunEvents<ThroughputEvents>;
  /** The run's channel label; unique per run. */
  label: string;
}

/** The result of a run that ended before anything was sent. */
export function emptyResult(settings: ThroughputSettings, cancelReason: string): ThroughputResult {
  return {
    settings,
    bytes: 0,
    messages: 0,
    bytesSent: 0,
    messagesSent: 0,
    durationMs: 0,
    bytesPerSecond: 0,
    messagesPerSecond: 0,
    lost: 0,
    outOfOrder: 0,
    corrupted: 0,
    duplicated: 0,
    inFlight: 0,
    cancelled: true,
    cancelReason,
    connectionLost: false,
    intervals: [],
    intervalsDropped: 0,
    peakBytesPerSecond: 0,
    steady: null,
  };
}
