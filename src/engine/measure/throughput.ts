// The throughput run: floods a channel of its own with verifiable messages under backpressure and
// measures what arrives intact. The hot loop is the point of this file: one reusable send buffer,
// the queue read once per refill, verification by word compare, no payload kept, and progress
// aggregated per 250 ms interval instead of per message.

import { errorMessage } from "../core/errors";
import { IntegrityTracker } from "./integrity";
import { INTERVAL_MS, IntervalSeries, perSecond, type ThroughputInterval } from "./intervals";
import { payloadFor } from "./payload";
import { type ChannelSource, type RunEvents, type RunPhaseEvent, whenAnyAborts } from "./run-phase";
import { type SteadyRate, steadyRate, steadyStartMs } from "./steady-state";
import { STEADY_MEASURE_MS, type ThroughputSettings } from "./throughput-options";

export interface ThroughputResult {
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
  /** Of a cancelled run: still on the way when it stopped, discarded with the channel. 0 otherwise. */
  inFlight: number;
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

export interface ThroughputProgress {
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
export const STALL_FLOOR = 1e6;
/** How often the connection's bytes received are read (getStats) once nothing else shows progress. */
export const PATH_READ_MS = 1000;
/** A partially reliable run ends once the queue is empty and nothing has arrived for this long (or the packet lifetime, if longer). */
export const QUIET_MS = 500;

export interface RunContext {
  /** Aborted by Stop. (The session's own signal ends the run too.) */
  signal: AbortSignal;
  events: RunEvents<ThroughputEvents>;
  /** The run's channel label; unique per run. */
  label: string;
}

/** Runs one throughput measurement. Always resolves: a stopped or broken run gives a partial result marked cancelled. */
export async function measureThroughput(
  source: ChannelSource,
  settings: ThroughputSettings,
  context: RunContext,
): Promise<ThroughputResult> {
  const init: RTCDataChannelInit = { ordered: settings.ordered };
  if (settings.maxRetransmits !== null) init.maxRetransmits = settings.maxRetransmits;
  if (settings.maxPacketLifeTime !== null) init.maxPacketLifeTime = settings.maxPacketLifeTime;
  let channels: [RTCDataChannel, RTCDataChannel];
  try {
    // Not abortable by Stop: the channel pair would open afterwards with nobody to close it. It takes milliseconds.
    channels = await source.openExtraChannel(context.label, init);
  } catch (error) {
    return announce(context, emptyResult(settings, `the run's channel did not open: ${errorMessage(error)}`));
  }
  if (context.signal.aborted || source.signal.aborted) {
    for (const channel of channels) channel.close();
    return announce(context, emptyResult(settings, context.signal.aborted ? "stopped" : "the session ended"));
  }
  return announce(context, await flood(channels, settings, source, context.signal, context.events));
}

function flood(
  [tx, rx]: [RTCDataChannel, RTCDataChannel],
  settings: ThroughputSettings,
  source: ChannelSource,
  stop: AbortSignal,
  events: RunEvents<ThroughputEvents>,
): Promise<ThroughputResult> {
  const { signal: session, lost } = source;
  const size = settings.messageSize;
  const payload = payloadFor(size, settings.binary);
  const tracker = new IntegrityTracker(payload.modulus);
  const series = new IntervalSeries();
  const high = settings.highWaterMark;
  const messageLimit =
    settings.totalBytes === null ? Number.POSITIVE_INFINITY : Math.ceil(settings.totalBytes / size);
  const quietMs = Math.max(QUIET_MS, settings.maxPacketLifeTime ?? 0);
  const reliable = settings.maxRetransmits === null && settings.maxPacketLifeTime === null;
  const stallMs = STALL_MS + (size / STALL_FLOOR) * 1000;

  let sent = 0;
  let deliveredBytes = 0;
  let sending = true;
  let finished = false;
  let t0 = 0;
  let lastArrival = 0;
  // The send queue going down is the path taking bytes (SCTP sends only as acks open its window).
  let lastQueued = 0;
  let lastQueueMove = 0;
  // Where the queue says nothing (Firefox hands a message to SCTP whole), the transport's counter does.
  let pathBytes: number | null = null;
  let lastPathMove = 0;
  let lastPathRead = 0;
  let readingPath = false;
  let sendingEndedMs = -1;
  let durationTimer: ReturnType<typeof setTimeout> | undefined;
  let tickTimer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe = () => {};
  let resolveRun: (result: ThroughputResult) => void = () => {};
  const done = new Promise<ThroughputResult>((resolve) => {
    resolveRun = resolve;
  });

  const finish = (cancelReason: string | null, connectionLost = false) => {
    if (finished) return;
    finished = true;
    sending = false;
    unsubscribe();
    clearTimeout(durationTimer);
    clearInterval(tickTimer);
    tx.onbufferedamountlow = rx.onmessage = tx.onclose = rx.onclose = null;
    // Closing discards whatever is still queued: nothing of a stopped run keeps going.
    tx.close();
    rx.close();
    const durationMs = lastArrival > 0 ? lastArrival - t0 : 0;
    series.finish(durationMs, deliveredBytes);
    const cancelled = cancelReason !== null;
    resolveRun({
      settings,
      bytes: deliveredBytes,
      messages: tracker.delivered,
      bytesSent: sent * size,
      messagesSent: sent,
      durationMs,
      bytesPerSecond: perSecond(deliveredBytes, durationMs),
      messagesPerSecond: perSecond(tracker.delivered, durationMs),
      lost: tracker.lost(sent, !cancelled),
      outOfOrder: tracker.outOfOrder,
      corrupted: tracker.corrupted,
      duplicated: tracker.duplicated,
      inFlight: cancelled ? tracker.inFlight(sent) : 0,
      cancelled,
      cancelReason,
      connectionLost,
      intervals: series.intervals,
      intervalsDropped: series.dropped,
      peakBytesPerSecond: series.peakBytesPerSecond,
      steady: steadyRate(series.intervals, size, sendingEndedMs >= 0 ? sendingEndedMs : durationMs),
    });
  };

  const allAccountedFor = () => tracker.delivered + tracker.corrupted >= sent;

  const stopSending = () => {
    if (!sending) return;
    sending = false;
    sendingEndedMs = performance.now() - t0;
    clearTimeout(durationTimer);
    tx.onbufferedamountlow = null;
    if (allAccountedFor()) finish(null);
    else events.emit("run-phase", { run: "throughput", phase: "draining" });
  };

  // bufferedAmount only grows within a task (it falls in tasks of its own), so read it once per
  // refill and count down locally. Sending stops once the queue is above the high-water mark,
  // which is at most MAX_QUEUED − messageSize: the queue never exceeds the browser's limit.
  const fill = () => {
    if (!sending) return;
    let queued = tx.bufferedAmount;
    try {
      while (queued <= high) {
        if (sent >= messageLimit) {
          stopSending();
          return;
        }
        // make() gives text or binary as settings.binary says; TypeScript's send() overloads cannot take the union.
        tx.send(payload.make(sent) as ArrayBuffer);
        sent++;
        queued += size;
      }
    } catch (error) {
      finish(`send() failed: ${errorMessage(error)}`);
    }
  };

  rx.binaryType = "arraybuffer";
  rx.onmessage = (event: MessageEvent) => {
    const data = event.data;
    const residue = payload.check(data);
    tracker.record(residue);
    if (residue >= 0) deliveredBytes += size;
    lastArrival = performance.now();
    if (!sending && allAccountedFor()) finish(null);
  };
  tx.onclose = rx.onclose = () => finish("the run's channel closed");
  unsubscribe = whenAnyAborts([stop, session, lost], (signal) =>
    signal === lost
      ? finish(String(lost.reason), true)
      : finish(signal === stop ? "stopped" : "the session ended"),
  );

  const readPath = (now: number) => {
    readingPath = true;
    lastPathRead = now;
    const settle = (bytes: number | null) => {
      readingPath = false;
      if (finished || bytes === null) return;
      if (pathBytes !== null && bytes > pathBytes) lastPathMove = performance.now();
      pathBytes = bytes;
    };
    source.pathBytesReceived().then(settle, () => settle(null));
  };

  const tick = () => {
    const now = performance.now();
    const queued = tx.bufferedAmount;
    if (queued < lastQueued) lastQueueMove = now;
    lastQueued = queued;
    const lastSign = Math.max(lastArrival, lastQueueMove, lastPathMove, t0);
    // Only when nothing else shows progress: a healthy run never pays for getStats.
    if (!readingPath && now - lastSign >= PATH_READ_MS && now - lastPathRead >= PATH_READ_MS) readPath(now);
    const interval = series.sample(now - t0, deliveredBytes);
    if (interval) {
      events.emit("throughput-progress", {
        interval,
        bytes: deliveredBytes,
        messages: tracker.delivered,
        bytesSent: sent * size,
        elapsedMs: now - t0,
      });
    }
    if (sending) {
      if (settings.untilSteady && interval) {
        const startMs = steadyStartMs(series.intervals, size);
        if (startMs !== null && now - t0 - startMs >= STEADY_MEASURE_MS) stopSending();
      }
      return;
    }
    const quietFor = now - Math.max(lastArrival, t0);
    if (!reliable && tx.bufferedAmount === 0 && quietFor >= quietMs) finish(null);
    // A reliable channel that delivers nothing, takes nothing from its queue, and whose connection
    // receives nothing, for this long has lost its connection: what is missing was never
    // delivered, not lost by the channel.
    else if (now - lastSign >= stallMs)
      reliable
        ? finish(`nothing arrived for ${(quietFor / 1000).toFixed(1)} s with data still owed`, true)
        : finish(null);
  };

  events.emit("run-phase", { run: "throughput", phase: "running" });
  if (!finished) {
    tx.bufferedAmountLowThreshold = settings.lowWaterMark;
    tx.onbufferedamountlow = fill;
    t0 = performance.now();
    if (settings.durationMs !== null) durationTimer = setTimeout(stopSending, settings.durationMs);
    tickTimer = setInterval(tick, INTERVAL_MS);
    fill();
  }
  return done;
}

function announce(context: RunContext, result: ThroughputResult): ThroughputResult {
  // The Lab announces the "finished" phase once the run has let go of everything.
  context.events.emit("throughput-result", result);
  return result;
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
