// A throughput run: opens a channel of its own, floods it with verifiable messages under backpressure and measures
// what arrives intact. The hot path is the point of this file: one reusable send buffer, the queue
// read once per refill, verification by word compare, no payload kept, and progress aggregated per
// 250 ms interval instead of per message.
import { errorMessage } from "../core/errors";
import { IntegrityTracker } from "./integrity";
import { INTERVAL_MS, IntervalSeries, perSecond } from "./intervals";
import { type Payload, payloadFor } from "./payload";
import { type ChannelSource, type RunEvents, whenAnyAborts } from "./run-phase";
import { steadyRate, steadyStartMs } from "./steady-state";
import {
  DRAIN_MAX_MS,
  DRAIN_PROJECT_EVERY_MS,
  emptyResult,
  QUIET_MS,
  type RunContext,
  STALL_FLOOR,
  STALL_MS,
  type ThroughputEvents,
  type ThroughputResult,
} from "./throughput";
import { STEADY_MEASURE_MS, type ThroughputSettings } from "./throughput-options";

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
  return announce(context, await new ThroughputRun(channels, settings, source, context).start());
}

/** The receiving end's bytes off the wire, and when they were read. */
interface PathReading {
  bytes: number | null;
  at: number;
}

function readPath(source: ChannelSource): Promise<PathReading> {
  return source
    .readReceivedOnPath()
    .catch(() => null)
    .then((bytes) => ({ bytes, at: performance.now() }));
}

/** Bytes per second off the wire between two readings; null where either is unknown or they make no sense. */
function pathRate(start: PathReading, end: PathReading): number | null {
  const ms = end.at - start.at;
  if (start.bytes === null || end.bytes === null || ms <= 0 || end.bytes < start.bytes) return null;
  return ((end.bytes - start.bytes) * 1000) / ms;
}

/** A cut run's figures with the path's rate over the run, where both readings came (each is bounded). */
async function withPathRate(
  result: ThroughputResult,
  atStart: Promise<PathReading>,
  atEnd: Promise<PathReading>,
): Promise<ThroughputResult> {
  const rate = pathRate(...(await Promise.all([atStart, atEnd])));
  return rate === null ? result : { ...result, pathBytesPerSecond: Math.round(rate) };
}

function announce(context: RunContext, result: ThroughputResult): ThroughputResult {
  // The Lab announces the "finished" phase once the run has let go of everything.
  context.events.emit("throughput-result", result);
  return result;
}

class ThroughputRun {
  private readonly payload: Payload;
  private readonly tracker: IntegrityTracker;
  private readonly series = new IntervalSeries();
  private readonly events: RunEvents<ThroughputEvents>;
  /** The most messages to send: all of them for a byte total, no limit for a timed run. */
  private readonly messageLimit: number;
  private readonly reliable: boolean;
  /** How long a finished partially reliable run waits in silence for stragglers. */
  private readonly quietMs: number;
  /** How long a reliable run may show no sign of life before its connection counts as lost. */
  private readonly stallMs: number;

  private sent = 0;
  private deliveredBytes = 0;
  private sending = true;
  private finished = false;
  /** performance.now() at the first send; every time in the result counts from it. */
  private t0 = 0;
  private lastArrival = 0;
  private lastQueued = 0;
  private sendingEndedMs = -1;
  /** performance.now() when sending stopped with data still owed. */
  private drainingSince = 0;
  private durationTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe = () => {};
  private resolveRun: (result: ThroughputResult) => void = () => {};
  /** The receiving end's count of bytes off the wire when sending began. */
  private pathAtStart: Promise<PathReading> | null = null;
  /** When a draining run last read the path's rate; a reading under way counts. */
  private projectedAt = 0;

  constructor(
    private readonly channels: [tx: RTCDataChannel, rx: RTCDataChannel],
    private readonly settings: ThroughputSettings,
    private readonly source: ChannelSource,
    private readonly context: RunContext,
  ) {
    const size = settings.messageSize;
    this.payload = payloadFor(size, settings.binary);
    this.tracker = new IntegrityTracker(this.payload.modulus);
    this.events = context.events;
    this.messageLimit =
      settings.totalBytes === null ? Number.POSITIVE_INFINITY : Math.ceil(settings.totalBytes / size);
    this.reliable = settings.maxRetransmits === null && settings.maxPacketLifeTime === null;
    this.quietMs = Math.max(QUIET_MS, settings.maxPacketLifeTime ?? 0);
    this.stallMs = STALL_MS + (size / STALL_FLOOR) * 1000;
  }

  start(): Promise<ThroughputResult> {
    const done = new Promise<ThroughputResult>((resolve) => {
      this.resolveRun = resolve;
    });
    const [tx, rx] = this.channels;
    const { signal: session, lost } = this.source;
    const stop = this.context.signal;
    rx.binaryType = "arraybuffer";
    rx.onmessage = (event: MessageEvent) => this.arrived(event.data);
    tx.onclose = rx.onclose = () => this.finish("the run's channel closed");
    this.unsubscribe = whenAnyAborts([stop, session, lost], (signal) =>
      signal === lost
        ? this.finish(String(lost.reason), true)
        : this.finish(signal === stop ? "stopped" : "the session ended"),
    );
    this.events.emit("run-phase", { run: "throughput", phase: "running" });
    if (!this.finished) {
      tx.bufferedAmountLowThreshold = this.settings.lowWaterMark;
      tx.onbufferedamountlow = () => this.fill();
      this.t0 = performance.now();
      this.pathAtStart = readPath(this.source);
      if (this.settings.durationMs !== null)
        this.durationTimer = setTimeout(() => this.stopSending(), this.settings.durationMs);
      this.tickTimer = setInterval(() => this.tick(), INTERVAL_MS);
      this.fill();
    }
    return done;
  }

  /**
   * bufferedAmount only grows within a task (it falls in tasks of its own), so it is read once per
   * refill and counted down here. Sending stops once the queue is above the high-water mark, which
   * is at most MAX_QUEUED − messageSize: the queue never exceeds the browser's limit.
   */
  private fill(): void {
    if (!this.sending) return;
    const [tx] = this.channels;
    const { highWaterMark: high, messageSize: size } = this.settings;
    let queued = tx.bufferedAmount;
    try {
      while (queued <= high) {
        if (this.sent >= this.messageLimit) {
          this.stopSending();
          return;
        }
        // make() gives text or binary as settings.binary says; TypeScript's send() overloads cannot take the union.
        tx.send(this.payload.make(this.sent) as ArrayBuffer);
        this.sent++;
        queued += size;
      }
    } catch (error) {
      this.finish(`send() failed: ${errorMessage(error)}`);
    }
  }

  private arrived(data: unknown): void {
    const residue = this.payload.check(data);
    this.tracker.record(residue);
    if (residue >= 0) this.deliveredBytes += this.settings.messageSize;
    this.lastArrival = performance.now();
    this.source.life.saw(this.lastArrival);
    if (!this.sending && this.allAccountedFor()) this.finish(null);
  }

  private allAccountedFor(): boolean {
    return this.tracker.delivered + this.tracker.corrupted >= this.sent;
  }

  private stopSending(): void {
    if (!this.sending) return;
    this.sending = false;
    this.sendingEndedMs = performance.now() - this.t0;
    clearTimeout(this.durationTimer);
    this.channels[0].onbufferedamountlow = null;
    if (this.allAccountedFor()) this.finish(null);
    else {
      this.drainingSince = performance.now();
      this.events.emit("run-phase", { run: "throughput", phase: "draining" });
    }
  }

  private tick(): void {
    const now = performance.now();
    // The send queue going down is the path taking bytes (SCTP sends only as acks open its window).
    const queued = this.channels[0].bufferedAmount;
    if (queued < this.lastQueued) this.source.life.saw(now);
    this.lastQueued = queued;
    // Where neither says anything (Firefox hands a message to SCTP whole), the transport's counter does.
    this.source.life.poll();
    const interval = this.series.sample(now - this.t0, this.deliveredBytes);
    if (interval) {
      this.events.emit("throughput-progress", {
        interval,
        bytes: this.deliveredBytes,
        messages: this.tracker.delivered,
        bytesSent: this.sent * this.settings.messageSize,
        elapsedMs: now - this.t0,
      });
    }
    if (this.sending) {
      if (this.settings.untilSteady && interval && this.steadyLongEnough(now)) this.stopSending();
      return;
    }
    this.endWhenDrained(now);
  }

  private steadyLongEnough(now: number): boolean {
    const startMs = steadyStartMs(this.series.intervals, this.settings.messageSize);
    return startMs !== null && now - this.t0 - startMs >= STEADY_MEASURE_MS;
  }

  /** After sending: a partially reliable run ends in silence; a reliable one waits while it lives. */
  private endWhenDrained(now: number): void {
    const quietFor = now - Math.max(this.lastArrival, this.t0);
    const lastSign = Math.max(this.source.life.lastSignAt, this.t0);
    if (!this.reliable && this.channels[0].bufferedAmount === 0 && quietFor >= this.quietMs)
      this.finish(null);
    // A reliable channel that delivers nothing, takes nothing from its queue, and whose connection
    // receives nothing, for this long has lost its connection: what is missing was never
    // delivered, not lost by the channel.
    else if (now - lastSign >= this.stallMs)
      this.reliable
        ? this.finish(`nothing arrived for ${(quietFor / 1000).toFixed(1)} s with data still owed`, true)
        : this.finish(null);
    // Alive but too slow to drain within the bound: the figures are what arrived by now.
    else if (this.reliable && now - this.drainingSince >= DRAIN_MAX_MS)
      this.finish(null, false, now - this.drainingSince);
    else if (this.reliable && now - this.projectedAt >= DRAIN_PROJECT_EVERY_MS) this.projectDrain(now);
  }

  /**
   * Stops waiting where, at the path's rate, not one more message can arrive whole within the bound.
   * What crossed beyond the whole messages delivered counts as the next one's progress: with packet
   * overhead that is more than the truth, so the run stops later rather than too early.
   */
  private projectDrain(now: number): void {
    this.projectedAt = now;
    const start = this.pathAtStart;
    if (!start) return;
    const reading = readPath(this.source);
    void Promise.all([start, reading]).then(([atStart, atNow]) => {
      const rate = pathRate(atStart, atNow);
      if (this.finished || !rate || atStart.bytes === null || atNow.bytes === null) return;
      const size = this.settings.messageSize;
      const crossed = atNow.bytes - atStart.bytes;
      const nextNeeds = size - (Math.max(0, crossed - this.deliveredBytes) % size);
      const drainedMs = atNow.at - this.drainingSince;
      if ((nextNeeds * 1000) / rate <= DRAIN_MAX_MS - drainedMs) return;
      const owedBytes = (this.sent - this.tracker.delivered - this.tracker.corrupted) * size;
      this.finish(null, false, drainedMs, { reading, projectedMs: (owedBytes * 1000) / rate });
    });
  }

  private finish(
    cancelReason: string | null,
    connectionLost = false,
    drainCutMs: number | null = null,
    /** Of a run cut by projectDrain: the reading it judged by, and what it projected. */
    projection?: { reading: Promise<PathReading>; projectedMs: number },
  ): void {
    if (this.finished) return;
    this.finished = true;
    this.sending = false;
    this.unsubscribe();
    clearTimeout(this.durationTimer);
    clearInterval(this.tickTimer);
    const [tx, rx] = this.channels;
    tx.onbufferedamountlow = rx.onmessage = tx.onclose = rx.onclose = null;
    // Closing discards whatever is still queued: nothing of a stopped run keeps going.
    tx.close();
    rx.close();
    const { tracker, series, settings, sent, deliveredBytes, sendingEndedMs } = this;
    const durationMs = this.lastArrival > 0 ? this.lastArrival - this.t0 : 0;
    const result = runResult(
      { tracker, series, settings, sent, deliveredBytes, durationMs, sendingEndedMs },
      { cancelReason, connectionLost, drainCutMs, drainProjectedMs: projection?.projectedMs },
    );
    if (drainCutMs === null || !this.pathAtStart) this.resolveRun(result);
    else
      void withPathRate(result, this.pathAtStart, projection?.reading ?? readPath(this.source)).then(
        this.resolveRun,
      );
  }
}

/** What a run counted, as its result reads it. */
interface RunCounts {
  settings: ThroughputSettings;
  tracker: IntegrityTracker;
  series: IntervalSeries;
  sent: number;
  deliveredBytes: number;
  durationMs: number;
  /** When sending stopped, in ms since the first send; -1 if it never did. */
  sendingEndedMs: number;
}

/** How a run ended, in its result: cancelled (with why), lost, or cut while draining. */
interface RunEnd {
  cancelReason: string | null;
  connectionLost: boolean;
  drainCutMs: number | null;
  drainProjectedMs?: number;
}

function runResult(counts: RunCounts, end: RunEnd): ThroughputResult {
  const { tracker, series, settings, sent, deliveredBytes, durationMs } = counts;
  const { cancelReason, drainCutMs, drainProjectedMs } = end;
  series.finish(durationMs, deliveredBytes);
  const cancelled = cancelReason !== null;
  // What a cut run still owed was on its way, not lost by the channel.
  const partial = cancelled || drainCutMs !== null;
  return {
    settings,
    bytes: deliveredBytes,
    messages: tracker.delivered,
    bytesSent: sent * settings.messageSize,
    messagesSent: sent,
    durationMs,
    bytesPerSecond: perSecond(deliveredBytes, durationMs),
    messagesPerSecond: perSecond(tracker.delivered, durationMs),
    lost: tracker.lost(sent, !partial),
    outOfOrder: tracker.outOfOrder,
    corrupted: tracker.corrupted,
    duplicated: tracker.duplicated,
    inFlight: partial ? tracker.inFlight(sent) : 0,
    ...(drainCutMs !== null ? { drainCutMs: Math.round(drainCutMs) } : {}),
    ...(drainProjectedMs !== undefined ? { drainProjectedMs: Math.round(drainProjectedMs) } : {}),
    cancelled,
    cancelReason,
    connectionLost: end.connectionLost,
    intervals: series.intervals,
    intervalsDropped: series.dropped,
    peakBytesPerSecond: series.peakBytesPerSecond,
    steady: steadyRate(
      series.intervals,
      settings.messageSize,
      counts.sendingEndedMs >= 0 ? counts.sendingEndedMs : durationMs,
    ),
  };
}
