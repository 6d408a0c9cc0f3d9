// The diagnosis as a job: one at a time (asking while one runs joins it), its progress, the latest
// result, and Stop. It runs on a loopback of its own, so the person's session, its messages and
// counters stay as they were, and it closes that loopback again once it has finished.
import { type Job, type JobContext, JobGate, jobOf } from "../core/job";
import type { LatencyResult } from "../measure/latency";
import { MeasurementRuns } from "../measure/measurement-runs";
import type { ThroughputResult } from "../measure/throughput";
import type { WebPageEvidence } from "../page/web-page-probe";
import { Connector } from "../session/connector";
import { WatchedConnection } from "../watch/watched-connection";
import {
  type DiagnosisLoopback,
  type DiagnosisOptions,
  type DiagnosisProgress,
  type DiagnosisResult,
  runDiagnosis,
} from "./diagnosis";

export type LabDiagnosis = DiagnosisResult<ThroughputResult, LatencyResult>;

export class Diagnoser {
  /** The diagnosis's own loopback: the timeline's Connection list shows it beside the person's. */
  readonly connection = new WatchedConnection("loopback", "Diagnosis");
  readonly job: Job<DiagnosisOptions | undefined, LabDiagnosis, DiagnosisProgress>;
  private steps: DiagnosisProgress[] = [];

  constructor(gate: JobGate, probeWebPage?: () => Promise<WebPageEvidence>) {
    const loopback = diagnosisLoopback(this.connection, probeWebPage);
    this.job = jobOf(
      "The diagnosis",
      async (options, context: JobContext<DiagnosisProgress>) => {
        const stopping = () => void loopback.disconnect();
        context.signal.addEventListener("abort", stopping, { once: true });
        try {
          return await runDiagnosis(
            loopback,
            (p) => this.progress(p, context),
            options,
            undefined,
            context.signal,
          );
        } finally {
          context.signal.removeEventListener("abort", stopping);
          // The diagnosis's connection has served its purpose: free its peer connections.
          await loopback.disconnect();
        }
      },
      gate,
    );
  }

  /** Runs the whole diagnosis; while one runs, returns that one. */
  run(options?: DiagnosisOptions): Promise<LabDiagnosis> {
    return this.job.running ?? this.job.run(options);
  }

  /** The running (or last) diagnosis's steps so far, for callers that poll (the command line). */
  progressSoFar(): DiagnosisProgress[] {
    return this.steps.slice();
  }

  private progress(step: DiagnosisProgress, context: JobContext<DiagnosisProgress>): void {
    if (step.index === 1 && step.status === "running") this.steps = [];
    this.steps.push(step);
    context.progress(step);
  }
}

/** A connector and runs of the diagnosis's own, on its watched connection. */
function diagnosisLoopback(
  watched: WatchedConnection,
  probeWebPage: (() => Promise<WebPageEvidence>) | undefined,
): DiagnosisLoopback<ThroughputResult, LatencyResult> {
  const connector = new Connector(watched, {
    phase: () => undefined,
    message: () => undefined,
    ended: () => undefined,
  });
  const runs = new MeasurementRuns(connector, new JobGate());
  return {
    get phase() {
      return connector.phase;
    },
    get openSession() {
      return connector.openSession;
    },
    timeline: watched.timeline,
    get findings() {
      return watched.findings;
    },
    connect: (options) => connector.connect(options),
    disconnect: async () => connector.disconnect(),
    runThroughput: (options) => runs.throughput.run(options),
    runLatency: (options) => runs.latency.run(options),
    ...(probeWebPage ? { probeWebPage } : {}),
  };
}
