// The automation contract: what window.loopbackLab offers in the panel. Types only. The panel
// implements it (src/panel/automation.ts); the command line, the bench and the e2e tests import it,
// so a caller that drifts from the panel fails to compile.
import type { DiagnosisOptions, DiagnosisProgress } from "../engine/diagnose/diagnosis";
import type { DumpSource } from "../engine/dump/internals-dump";
import type { IceCheckOptions, IceCheckResult } from "../engine/ice/ice-check";
import type { LatencyOptions, LatencyResult } from "../engine/measure/latency";
import type { ThroughputResult } from "../engine/measure/throughput";
import type { ThroughputOptions } from "../engine/measure/throughput-options";
import type { RecordedChannel } from "../engine/page/page-batch";
import type { ConnectOptions } from "../engine/session/connector";
import type { OpenResult } from "../engine/session/loopback-session";
import type { PairSummary } from "../engine/watch/pair-stats";
import type { TimelineEntry } from "../engine/watch/timeline";
import type { Report } from "../report/report";
import type { Finding } from "./findings";

export type {
  DiagnosisOptions,
  DiagnosisProgress,
  IceCheckResult,
  LatencyResult,
  Report,
  ThroughputOptions,
  ThroughputResult,
};

export interface LoopbackLabApi {
  /** Opens the loopback session; rejects with a LabError whose `finding` says where it stopped. */
  connect(options?: ConnectOptions): Promise<OpenResult>;
  disconnect(): Promise<void>;
  send(text: string): Promise<{ bytes: number }>;
  /** The report as Copy report makes it; `includeMessages` adds the session's received messages. */
  report(options?: { includeMessages?: boolean }): Report;
  /** Runs the whole diagnosis and resolves with the report it produced. */
  runDiagnosis(options?: DiagnosisOptions): Promise<Report>;
  /** The progress of the running (or last) diagnosis so far, for callers that poll (the command line). */
  diagnosisProgress(): DiagnosisProgress[];
  /** Runs a throughput measurement (connecting first if idle); a stopped run resolves with cancelled: true. */
  runThroughput(options?: ThroughputOptions): Promise<ThroughputResult>;
  runLatency(options?: LatencyOptions): Promise<LatencyResult>;
  /**
   * Checks STUN and TURN servers: one result per server URL and transport (gathering, then for TURN a
   * relay-only connection with a short throughput and latency run). Rejects with "invalid-option"
   * for input that is not `RTCIceServer[]`. Results and reports never hold the credentials.
   */
  runIceCheck(options: IceCheckOptions): Promise<IceCheckResult>;
  /**
   * Reloads the inspected page with the page recorder (like "Start profiling and reload page") and
   * resolves once it has loaded; from then on its connections are recorded. DevTools only.
   */
  recordPage(): Promise<{ origin: string }>;
  /** The inspected page's connections recorded so far; `t` in ms since recording began. */
  pageConnections(): PageConnectionInfo[];
  /**
   * Opens a dump (chrome://webrtc-internals or rtcstats, gzip or plain) as the Open dump button does,
   * in the panel's worker; rejects with the message the panel shows for a file it cannot read.
   */
  openDump(file: { name: string; base64: string }): Promise<DumpInfo>;
  /** Ends the running throughput or latency run. */
  stopRun(): Promise<void>;
}

export interface PageConnectionInfo {
  id: number;
  frameUrl: string;
  timeline: TimelineEntry[];
  channels: RecordedChannel[];
  findings: Finding[];
  /** Its paths from getStats (pairs, checks, the pair in use); null until the recorder read them. */
  stats: PairSummary | null;
}

export interface DumpInfo {
  fileName: string;
  source: DumpSource;
  notes: string[];
  connections: (PageConnectionInfo & { key: string })[];
}

/** The panel's window as automation sees it; callers reach it through lab-client.ts, not by casting to it. */
export type LabWindow = typeof window & { readonly loopbackLab: LoopbackLabApi };
