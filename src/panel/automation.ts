// window.loopbackLab: the automation API. It is the same Lab the buttons drive, nothing else.
import type { DiagnosisOptions, DiagnosisProgress } from "../engine/diagnose/diagnosis";
import type { ConnectOptions, Lab } from "../engine/lab";
import type { LatencyOptions, LatencyResult } from "../engine/measure/latency";
import type { ThroughputResult } from "../engine/measure/throughput";
import type { ThroughputOptions } from "../engine/measure/throughput-options";
import { learnFullVersion } from "../report/browser-identity";
import { buildReport, type Report } from "../report/report";

export interface LoopbackLabApi {
  connect(options?: ConnectOptions): Promise<unknown>;
  disconnect(): Promise<void>;
  send(text: string): Promise<{ bytes: number }>;
  report(): Report;
  /** Runs the whole diagnosis and resolves with the report it produced. */
  runDiagnosis(options?: DiagnosisOptions): Promise<Report>;
  /** The progress of the running (or last) diagnosis so far, for callers that poll (the command line). */
  diagnosisProgress(): DiagnosisProgress[];
  /** Runs a throughput test (connecting first if idle); a stopped run resolves with cancelled: true. */
  runThroughput(options?: ThroughputOptions): Promise<ThroughputResult>;
  runLatency(options?: LatencyOptions): Promise<LatencyResult>;
  /** Ends the running throughput or latency test. */
  stopTest(): Promise<void>;
}

declare global {
  interface Window {
    loopbackLab: LoopbackLabApi;
  }
}

export function exposeAutomationApi(lab: Lab): LoopbackLabApi {
  let progress: DiagnosisProgress[] = [];
  lab.events.on((event) => {
    if (event.type !== "diagnosis-progress") return;
    if (event.progress.index === 1 && event.progress.status === "running") progress = [];
    progress.push(event.progress);
  });
  const api: LoopbackLabApi = {
    connect: (options) => lab.connect(options),
    disconnect: () => lab.disconnect(),
    send: (text) => lab.send(text),
    report: () => buildReport(lab),
    runDiagnosis: async (options) => {
      await Promise.all([lab.runDiagnosis(options), learnFullVersion()]);
      return buildReport(lab);
    },
    diagnosisProgress: () => progress.slice(),
    runThroughput: (options) => lab.runThroughput(options),
    runLatency: (options) => lab.runLatency(options),
    stopTest: () => lab.stopTest(),
  };
  Object.defineProperty(window, "loopbackLab", { value: Object.freeze(api), enumerable: true });
  return api;
}
