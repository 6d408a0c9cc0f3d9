// The throughput and latency runs, one at a time: checks the options, connects first if need be
// (Stop cancels that wait), runs on a channel of its own, and keeps the latest result of each kind.
import { resolvedFigures } from "../../format/figures";
import { Emitter } from "../core/emitter";
import { abortable, LabError } from "../core/errors";
import { type Job, JobGate, jobOf } from "../core/job";
import { timerResolutionMs } from "../core/platform";
import {
  checkLatencyOptions,
  type LatencyEvents,
  type LatencyOptions,
  type LatencyResult,
  measureLatency,
} from "./latency";
import type { ChannelSource, RunKind } from "./run-phase";
import { emptyResult, type ThroughputEvents, type ThroughputResult } from "./throughput";
import {
  checkThroughputOptions,
  resolveThroughputSettings,
  type ThroughputOptions,
} from "./throughput-options";
import { measureThroughput } from "./throughput-run";

export type MeasurementEvents = ThroughputEvents & LatencyEvents;

/** What the runs need of the connection: an open session, connecting first if there is none. */
export interface SessionProvider {
  /** Connects if idle; rejects with LabError "cancelled" if the attempt was ended. */
  connect(): Promise<unknown>;
  /** The open session, or null. */
  readonly openSession: ChannelSource | null;
}

export class MeasurementRuns {
  /** The runs' phases, live progress and results, as the runners announce them. */
  readonly events = new Emitter<MeasurementEvents>();
  /**
   * Measures throughput. Resolves with the result, marked cancelled if Stop or Disconnect ended it;
   * rejects only for bad options ("invalid-option"), another run going on ("busy") or a failed connect.
   */
  readonly throughput: Job<ThroughputOptions | undefined, ThroughputResult>;
  /** Measures round trips; the same rules as throughput. */
  readonly latency: Job<LatencyOptions | undefined, LatencyResult>;
  private runCount = 0;

  /** `gate`: the jobs these runs must not overlap with; the two runs always exclude each other. */
  constructor(
    private readonly sessions: SessionProvider,
    gate: JobGate = new JobGate(),
  ) {
    this.throughput = jobOf(
      "A throughput run",
      (options, { signal }) =>
        this.measure(
          "throughput",
          () => checkThroughputOptions(options),
          signal,
          (checked, session) =>
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
        ),
      gate,
    );
    this.latency = jobOf(
      "A latency run",
      (options, { signal }) =>
        this.measure(
          "latency",
          () => checkLatencyOptions(options),
          signal,
          (checked, session) =>
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
        ),
      gate,
    );
  }

  /** Which run is going on, if any. */
  get running(): RunKind | null {
    if (this.throughput.busy) return "throughput";
    return this.latency.busy ? "latency" : null;
  }

  /** Ends the current run promptly; its promise resolves with a partial result marked cancelled. */
  stop(): void {
    this.throughput.cancel();
    this.latency.cancel();
  }

  private async measure<O, R extends object>(
    kind: RunKind,
    check: () => O,
    signal: AbortSignal,
    measure: (options: O, session: ChannelSource) => Promise<R>,
    cancelledEarly: (options: O, reason: string) => R,
  ): Promise<R> {
    const options = check();
    this.events.emit("run-phase", { run: kind, phase: "starting" });
    try {
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
      // A report says when each run was made, not only when it was exported.
      // Figures as the clock resolves them: the result the caller gets is the one a report holds.
      return resolvedFigures({ ...(await measure(options, session)), endedAt: new Date().toISOString() });
    } finally {
      this.events.emit("run-phase", { run: kind, phase: "finished" });
    }
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
