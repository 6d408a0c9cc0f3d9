// The throughput and latency runs, one at a time: checks the options, connects first if need be
// (Stop cancels that wait), runs on a channel of its own, and keeps the latest result of each kind.
import { abortable, LabError } from "../core/errors";
import { timerResolutionMs } from "../core/platform";
import {
  checkLatencyOptions,
  type LatencyEvents,
  type LatencyOptions,
  type LatencyResult,
  measureLatency,
} from "./latency";
import type { ChannelSource, RunEvents, RunKind } from "./run-phase";
import { emptyResult, measureThroughput, type ThroughputEvents, type ThroughputResult } from "./throughput";
import {
  checkThroughputOptions,
  resolveThroughputSettings,
  type ThroughputOptions,
} from "./throughput-options";

export type MeasurementEvents = ThroughputEvents & LatencyEvents;

/** What the runs need of the connection: an open session, connecting first if there is none. */
export interface SessionProvider {
  /** Connects if idle; rejects with LabError "cancelled" if the attempt was ended. */
  connect(): Promise<unknown>;
  /** The open session, or null. */
  readonly openSession: ChannelSource | null;
}

export class MeasurementRuns {
  private active: { kind: RunKind; stop: AbortController } | null = null;
  private runCount = 0;
  private throughputResult: ThroughputResult | null = null;
  private latencyResult: LatencyResult | null = null;

  constructor(
    private readonly sessions: SessionProvider,
    private readonly events: RunEvents<MeasurementEvents>,
  ) {}

  /** Which run is going on, if any. */
  get running(): RunKind | null {
    return this.active?.kind ?? null;
  }

  /** The latest throughput result (complete or cancelled); null until a run has ended. */
  get lastThroughput(): ThroughputResult | null {
    return this.throughputResult;
  }

  get lastLatency(): LatencyResult | null {
    return this.latencyResult;
  }

  /**
   * Measures throughput. Resolves with the result, marked cancelled if Stop or Disconnect ended it;
   * rejects only for bad options ("invalid-option"), another run going on ("busy") or a failed connect.
   */
  throughput(options?: ThroughputOptions): Promise<ThroughputResult> {
    return this.run(
      "throughput",
      () => checkThroughputOptions(options),
      (checked, session, signal) =>
        measureThroughput(session, resolveThroughputSettings(checked, session.maxMessageSize), {
          signal,
          events: this.events,
          label: `throughput-${++this.runCount}`,
        }),
      // No connection, so no maximum to clamp to yet: the settings show what was asked for.
      (checked, reason) => {
        const result = emptyResult(resolveThroughputSettings(checked, Number.MAX_SAFE_INTEGER), reason);
        this.events.emit("throughput-result", result);
        return result;
      },
      (result) => {
        this.throughputResult = result;
      },
    );
  }

  /** Measures round trips; the same rules as throughput(). */
  latency(options?: LatencyOptions): Promise<LatencyResult> {
    return this.run(
      "latency",
      () => checkLatencyOptions(options),
      (checked, session, signal) =>
        measureLatency(session, checked, {
          signal,
          events: this.events,
          label: `latency-${++this.runCount}`,
        }),
      (checked, reason) => {
        const result = emptyLatencyResult(checked.samples, reason);
        this.events.emit("latency-result", result);
        return result;
      },
      (result) => {
        this.latencyResult = result;
      },
    );
  }

  /** Ends the current run promptly; its promise resolves with a partial result marked cancelled. */
  stop(): void {
    this.active?.stop.abort(new LabError("cancelled", "Stopped."));
  }

  private async run<O, R>(
    kind: RunKind,
    check: () => O,
    measure: (options: O, session: ChannelSource, signal: AbortSignal) => Promise<R>,
    cancelledEarly: (options: O, reason: string) => R,
    keep: (result: R) => void,
  ): Promise<R> {
    if (this.active) {
      throw new LabError(
        "busy",
        `A ${this.active.kind} run is already going on; stop it first (Stop, or stopRun()).`,
      );
    }
    const options = check();
    const stop = new AbortController();
    this.active = { kind, stop };
    this.events.emit("run-phase", { run: kind, phase: "starting" });
    try {
      const result = await this.measureOnOpenSession(options, stop.signal, measure, cancelledEarly);
      keep(result);
      return result;
    } finally {
      this.active = null;
      this.events.emit("run-phase", { run: kind, phase: "finished" });
    }
  }

  private async measureOnOpenSession<O, R>(
    options: O,
    signal: AbortSignal,
    measure: (options: O, session: ChannelSource, signal: AbortSignal) => Promise<R>,
    cancelledEarly: (options: O, reason: string) => R,
  ): Promise<R> {
    if (!this.sessions.openSession) {
      try {
        await abortable(this.sessions.connect(), signal);
      } catch (error) {
        if (signal.aborted) return cancelledEarly(options, "stopped before the connection opened");
        if (error instanceof LabError && error.code === "cancelled")
          return cancelledEarly(options, "disconnected before the connection opened");
        throw error;
      }
    }
    const session = this.sessions.openSession;
    if (!session) return cancelledEarly(options, "the session ended before the run started");
    return measure(options, session, signal);
  }
}

function emptyLatencyResult(requestedSamples: number, cancelReason: string): LatencyResult {
  return {
    samples: 0,
    requestedSamples,
    p50Ms: Number.NaN,
    p95Ms: Number.NaN,
    p99Ms: Number.NaN,
    maxMs: Number.NaN,
    minMs: Number.NaN,
    meanMs: Number.NaN,
    // The clock is known even when no round trip was timed.
    resolutionMs: timerResolutionMs(),
    warmup: 0,
    cancelled: true,
    cancelReason,
    connectionLost: false,
  };
}
