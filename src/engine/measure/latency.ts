// The latency run: ping-pong of small messages on a channel of its own. The remote end echoes
// each ping; one sample is the round trip from send() to the echo's arrival, measured with
// performance.now(), whose resolution the result states (Firefox rounds to 1 ms).
import { errorMessage, LabError } from "../core/errors";
import { distributionOf } from "../core/percentiles";
import { timerResolutionMs } from "../core/platform";
import { type ChannelSource, type RunEvents, type RunPhaseEvent, whenAnyAborts } from "./run-phase";

export interface LatencyOptions {
  /** Round trips to measure, 1–100 000. Default 200. */
  samples?: number;
}

export interface LatencyResult {
  /** When the run ended (ISO time); set by the runs for the person's own runs and the diagnosis's. */
  endedAt?: string;
  /** Round trips measured (fewer than requested if cancelled). */
  samples: number;
  requestedSamples: number;
  /** Round-trip percentiles (nearest rank) in ms; NaN when no sample was taken. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  meanMs: number;
  /** The smallest step of performance.now() in this page: no figure above is finer than this. */
  resolutionMs: number;
  /** Untimed round trips first, so opening the channel does not count as latency. */
  warmup: number;
  cancelled: boolean;
  cancelReason: string | null;
  /** The run stopped because the connection was lost under it (ICE failed, or no echo came back). */
  connectionLost: boolean;
}

export interface LatencyEvents {
  "run-phase": RunPhaseEvent;
  "latency-progress": { done: number; total: number };
  "latency-result": LatencyResult;
}

const DEFAULT_SAMPLES = 200;
const MAX_SAMPLES = 100_000;
export const WARMUP = 3;
/** A ping without echo for this long on a reliable channel means the connection is gone. */
export const ECHO_TIMEOUT_MS = 10_000;
const PING_BYTES = 8;
const PROGRESS_EVERY_MS = 100;

export function checkLatencyOptions(options: unknown): Required<LatencyOptions> {
  if (options === undefined || options === null) return { samples: DEFAULT_SAMPLES };
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new LabError("invalid-option", "The latency options must be an object such as { samples: 200 }.");
  }
  const unknown = Object.keys(options).filter((key) => key !== "samples");
  if (unknown.length > 0)
    throw new LabError(
      "invalid-option",
      `Unknown option ${unknown.map((k) => `"${k}"`).join(", ")}; the only option is samples.`,
    );
  const samples = (options as LatencyOptions).samples ?? DEFAULT_SAMPLES;
  if (typeof samples !== "number" || !Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES) {
    throw new LabError(
      "invalid-option",
      `samples must be a whole number from 1 to ${MAX_SAMPLES}; got ${String(samples)}.`,
    );
  }
  return { samples };
}

export interface LatencyContext {
  signal: AbortSignal;
  events: RunEvents<LatencyEvents>;
  label: string;
}

/** Always resolves; a stopped run gives the samples taken so far, marked cancelled. */
export async function measureLatency(
  source: ChannelSource,
  options: Required<LatencyOptions>,
  context: LatencyContext,
): Promise<LatencyResult> {
  const run = new LatencyRun(options.samples, source, context);
  let channels: [RTCDataChannel, RTCDataChannel];
  try {
    channels = await source.openExtraChannel(context.label, { ordered: true });
  } catch (error) {
    return run.announce(`the run's channel did not open: ${errorMessage(error)}`);
  }
  if (context.signal.aborted || source.signal.aborted) {
    for (const channel of channels) channel.close();
    return run.announce(context.signal.aborted ? "stopped" : "the session ended");
  }
  return run.start(channels);
}

/** One ping at a time on an ordered, reliable channel; the far end echoes it as it came. */
class LatencyRun {
  private readonly rtts: Float64Array;
  private readonly resolutionMs = timerResolutionMs();
  private readonly ping = new ArrayBuffer(PING_BYTES);
  private readonly pingSeq = new Uint32Array(this.ping);
  private count = 0;
  private seq = 0;
  private sentAt = 0;
  private lastProgress = 0;
  private finished = false;
  private channels: [tx: RTCDataChannel, rx: RTCDataChannel] | null = null;
  private unsubscribe = () => {};
  private echoTimer: ReturnType<typeof setTimeout> | undefined;
  private resolveRun: (result: LatencyResult) => void = () => {};

  constructor(
    private readonly total: number,
    private readonly source: ChannelSource,
    private readonly context: LatencyContext,
  ) {
    this.rtts = new Float64Array(total);
  }

  start(channels: [RTCDataChannel, RTCDataChannel]): Promise<LatencyResult> {
    this.channels = channels;
    const done = new Promise<LatencyResult>((resolve) => {
      this.resolveRun = resolve;
    });
    const [tx, rx] = channels;
    const { source, context } = this;
    rx.binaryType = tx.binaryType = "arraybuffer";
    rx.onmessage = (event: MessageEvent) => rx.send(event.data as ArrayBuffer);
    tx.onmessage = (event: MessageEvent) => this.echoed(event.data);
    tx.onclose = rx.onclose = () => this.finish("the run's channel closed");
    this.unsubscribe = whenAnyAborts([context.signal, source.signal, source.lost], (signal) =>
      signal === source.lost
        ? this.finish(String(source.lost.reason), true)
        : this.finish(signal === context.signal ? "stopped" : "the session ended"),
    );
    if (!this.finished) {
      context.events.emit("run-phase", { run: "latency", phase: "running" });
      this.send();
    }
    return done;
  }

  /** The result so far, announced as the run's result. */
  announce(cancelReason: string | null, connectionLost = false): LatencyResult {
    const d = distributionOf(this.rtts.subarray(0, this.count));
    const result: LatencyResult = {
      samples: this.count,
      requestedSamples: this.total,
      p50Ms: d.p50,
      p95Ms: d.p95,
      p99Ms: d.p99,
      maxMs: d.max,
      minMs: d.min,
      meanMs: d.mean,
      resolutionMs: this.resolutionMs,
      warmup: WARMUP,
      cancelled: cancelReason !== null,
      cancelReason,
      connectionLost,
    };
    this.context.events.emit("latency-result", result);
    return result;
  }

  private send(): void {
    this.pingSeq[0] = this.seq;
    clearTimeout(this.echoTimer);
    this.echoTimer = setTimeout(
      () => this.finish(`no echo within ${ECHO_TIMEOUT_MS / 1000} s`, true),
      ECHO_TIMEOUT_MS,
    );
    this.sentAt = performance.now();
    try {
      this.channels?.[0].send(this.ping);
    } catch (error) {
      this.finish(`send() failed: ${errorMessage(error)}`);
    }
  }

  private echoed(data: unknown): void {
    const now = performance.now();
    // Ordered and reliable: an echo that is not of the last ping means the channel is broken.
    if (
      !(data instanceof ArrayBuffer) ||
      data.byteLength !== PING_BYTES ||
      new Uint32Array(data)[0] !== this.seq
    ) {
      this.finish("an echo did not match its ping");
      return;
    }
    this.source.life.saw(now);
    if (this.seq >= WARMUP) this.rtts[this.count++] = now - this.sentAt;
    this.seq++;
    if (now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.context.events.emit("latency-progress", { done: this.count, total: this.total });
    }
    if (this.count >= this.total) this.finish(null);
    else this.send();
  }

  private finish(cancelReason: string | null, connectionLost = false): void {
    if (this.finished) return;
    this.finished = true;
    this.unsubscribe();
    clearTimeout(this.echoTimer);
    if (this.channels) {
      const [tx, rx] = this.channels;
      tx.onmessage = rx.onmessage = tx.onclose = rx.onclose = null;
      tx.close();
      rx.close();
    }
    this.context.events.emit("latency-progress", { done: this.count, total: this.total });
    this.resolveRun(this.announce(cancelReason, connectionLost));
  }
}
