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

export const DEFAULT_SAMPLES = 200;
export const MAX_SAMPLES = 100_000;
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
  const { events } = context;
  const total = options.samples;
  const resolutionMs = timerResolutionMs();
  const rtts = new Float64Array(total);
  let count = 0;
  const result = (cancelReason: string | null, connectionLost = false): LatencyResult => {
    const d = distributionOf(rtts.subarray(0, count));
    return {
      samples: count,
      requestedSamples: total,
      p50Ms: d.p50,
      p95Ms: d.p95,
      p99Ms: d.p99,
      maxMs: d.max,
      minMs: d.min,
      meanMs: d.mean,
      resolutionMs,
      warmup: WARMUP,
      cancelled: cancelReason !== null,
      cancelReason,
      connectionLost,
    };
  };
  const announce = (r: LatencyResult) => {
    events.emit("latency-result", r);
    return r;
  };

  let channels: [RTCDataChannel, RTCDataChannel];
  try {
    channels = await source.openExtraChannel(context.label, { ordered: true });
  } catch (error) {
    return announce(result(`the run's channel did not open: ${errorMessage(error)}`));
  }
  const [tx, rx] = channels;
  if (context.signal.aborted || source.signal.aborted) {
    tx.close();
    rx.close();
    return announce(result(context.signal.aborted ? "stopped" : "the session ended"));
  }

  return new Promise<LatencyResult>((resolve) => {
    const ping = new ArrayBuffer(PING_BYTES);
    const pingView = new Uint32Array(ping);
    let seq = 0;
    let sentAt = 0;
    let lastProgress = 0;
    let finished = false;
    let unsubscribe = () => {};
    let echoTimer: ReturnType<typeof setTimeout> | undefined;

    const finish = (cancelReason: string | null, connectionLost = false) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearTimeout(echoTimer);
      tx.onmessage = rx.onmessage = tx.onclose = rx.onclose = null;
      tx.close();
      rx.close();
      events.emit("latency-progress", { done: count, total });
      resolve(announce(result(cancelReason, connectionLost)));
    };
    const send = () => {
      pingView[0] = seq;
      clearTimeout(echoTimer);
      echoTimer = setTimeout(
        () => finish(`no echo within ${ECHO_TIMEOUT_MS / 1000} s`, true),
        ECHO_TIMEOUT_MS,
      );
      sentAt = performance.now();
      try {
        tx.send(ping);
      } catch (error) {
        finish(`send() failed: ${errorMessage(error)}`);
      }
    };

    rx.binaryType = tx.binaryType = "arraybuffer";
    // The far end echoes each ping as it came.
    rx.onmessage = (event: MessageEvent) => rx.send(event.data as ArrayBuffer);
    tx.onmessage = (event: MessageEvent) => {
      const now = performance.now();
      const data = event.data;
      // Ordered and reliable: an echo that is not of the last ping means the channel is broken.
      if (
        !(data instanceof ArrayBuffer) ||
        data.byteLength !== PING_BYTES ||
        new Uint32Array(data)[0] !== seq
      ) {
        finish("an echo did not match its ping");
        return;
      }
      if (seq >= WARMUP) rtts[count++] = now - sentAt;
      seq++;
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        events.emit("latency-progress", { done: count, total });
      }
      if (count >= total) finish(null);
      else send();
    };
    tx.onclose = rx.onclose = () => finish("the run's channel closed");
    unsubscribe = whenAnyAborts([context.signal, source.signal, source.lost], (signal) =>
      signal === source.lost
        ? finish(String(source.lost.reason), true)
        : finish(signal === context.signal ? "stopped" : "the session ended"),
    );
    if (finished) return;
    events.emit("run-phase", { run: "latency", phase: "running" });
    send();
  });
}
