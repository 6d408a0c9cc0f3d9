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
  DiagnosisStopped,
  runDiagnosis,
} from "./diagnosis";
import type { DiagnosisStep } from "./diagnosis-steps";

export type LabDiagnosis = DiagnosisResult<ThroughputResult, LatencyResult>;

/** Where Stop ended a diagnosis: when, and at which of its steps. */
export interface DiagnosisStop {
  at: string;
  step: DiagnosisStep;
  index: number;
  total: number;
}

export class Diagnoser {
  /** The diagnosis's own loopback: the timeline's Connection list shows it beside the person's. */
  readonly connection = new WatchedConnection("loopback", "Diagnosis");
  readonly job: Job<DiagnosisOptions | undefined, LabDiagnosis, DiagnosisProgress>;
  private steps: DiagnosisProgress[] = [];
  private stop: DiagnosisStop | null = null;

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
        } catch (error) {
          if (error instanceof DiagnosisStopped)
            this.stop = {
              at: new Date().toISOString(),
              step: error.step,
              index: error.index,
              total: error.total,
            };
          throw error;
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

  /** Where the latest diagnosis was stopped, when Stop ended it; null when it finished (or none ran). */
  get stopped(): DiagnosisStop | null {
    return this.stop;
  }

  /** The running (or last) diagnosis's steps so far, for callers that poll (the command line). */
  progressSoFar(): DiagnosisProgress[] {
    return this.steps.slice();
  }

  private progress(step: DiagnosisProgress, context: JobContext<DiagnosisProgress>): void {
    if (step.index === 1 && step.status === "running") {
      this.steps = [];
      this.stop = null;
    }
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
