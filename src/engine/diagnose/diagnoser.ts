// One diagnosis at a time, and the latest result: asking while one runs returns that one.
import type { RunEvents } from "../measure/run-phase";
import {
  type DiagnosisLab,
  type DiagnosisOptions,
  type DiagnosisProgress,
  type DiagnosisResult,
  runDiagnosis,
} from "./diagnosis";
import type { LatencyFigures, ThroughputFigures } from "./verdict";

export interface DiagnosisEvents<T extends ThroughputFigures, L extends LatencyFigures> {
  /** True as a diagnosis starts, false once it has ended either way. */
  diagnosing: boolean;
  "diagnosis-progress": DiagnosisProgress;
  diagnosis: DiagnosisResult<T, L>;
}

export class Diagnoser<T extends ThroughputFigures, L extends LatencyFigures> {
  private running: Promise<DiagnosisResult<T, L>> | null = null;
  private last: DiagnosisResult<T, L> | null = null;

  constructor(
    private readonly lab: DiagnosisLab<T, L>,
    private readonly events: RunEvents<DiagnosisEvents<T, L>>,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** The latest completed diagnosis; the report is built from it. */
  get lastResult(): DiagnosisResult<T, L> | null {
    return this.last;
  }

  run(options: DiagnosisOptions = {}): Promise<DiagnosisResult<T, L>> {
    if (this.running) return this.running;
    this.events.emit("diagnosing", true);
    const running = runDiagnosis(
      this.lab,
      (progress) => this.events.emit("diagnosis-progress", progress),
      options,
    ).then(
      async (result) => {
        // The diagnosis's connection has served its purpose: free its peer connections.
        await this.lab.disconnect();
        this.running = null;
        this.last = result;
        this.events.emit("diagnosis", result);
        this.events.emit("diagnosing", false);
        return result;
      },
      (error: unknown) => {
        this.running = null;
        this.events.emit("diagnosing", false);
        throw error;
      },
    );
    this.running = running;
    return running;
  }
}
