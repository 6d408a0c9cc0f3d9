// "Run diagnosis": every check in order, each announced as it starts and ends so people (and the
// command line) see progress: feature detection, a fresh loopback session with its timeline, the
// channel features that need a connection, the candidates gathered, a short throughput run and a
// latency run; then the findings and the verdict. A step that cannot run is skipped with the reason,
// never silently: a browser where no connection forms still gets a complete diagnosis (verdict fail).

import { type Finding, type FindingCode, finding } from "../../contract/findings";
import { howSteady } from "../../format/steady-rate";
import { milliseconds, rate } from "../../format/units";
import { errorMessage, LabError } from "../core/errors";
import { STEADY_CAP_MS } from "../measure/throughput-options";
import type { WebPageEvidence } from "../page/web-page-probe";
import type { ConnectOptions, Phase } from "../session/connector";
import type { LoopbackSession, OpenResult } from "../session/loopback-session";
import { type CandidateSummary, summarizeCandidates } from "../watch/candidate-summary";
import type { Timeline, TimelineEntry } from "../watch/timeline";
import { type SupportCheck, type SupportResult, supportFindings } from "./support";
import { apiChecks } from "./support-api";
import { connectionChecks, connectionChecksNotRun } from "./support-probes";
import { type ThresholdName, type ThresholdValues, thresholdValues } from "./thresholds";
import {
  headline,
  type LatencyFigures,
  measurementFindings,
  type ThroughputFigures,
  type Verdict,
  verdictOf,
} from "./verdict";
import { webPageFindings } from "./web-page-findings";

export const DIAGNOSIS_STEPS = [
  "support",
  "connect",
  "channels",
  "candidates",
  "webpage",
  "throughput",
  "latency",
  "verdict",
] as const;
export type DiagnosisStep = (typeof DIAGNOSIS_STEPS)[number];

export const DIAGNOSIS_STEP_NAMES: Record<DiagnosisStep, string> = {
  support: "WebRTC API: present, native, data channels",
  connect: "Loopback session",
  channels:
    "Channel features: SCTP, bufferedamountlow, negotiated, unordered, partially reliable, statistics",
  candidates: "ICE candidates gathered",
  webpage: "Web pages: the same probe in the inspected page",
  throughput: "Throughput",
  latency: "Latency",
  verdict: "Verdict",
};

/** One step starting or ending; `index` counts from 1 to `total`; `atMs` since the diagnosis began. */
export type DiagnosisProgress =
  | { step: DiagnosisStep; index: number; total: number; atMs: number; status: "running" }
  | {
      step: DiagnosisStep;
      index: number;
      total: number;
      atMs: number;
      status: "done" | "skipped" | "failed";
      detail: string;
    };

export interface DiagnosisOptions {
  /** How long the session may take to open. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * The throughput run's cap. It sends until the rate is steady and measures 3 s of it (usually 3 to
   * 5 s in all); default 8000 ms, the most it waits for a rate that never settles.
   */
  throughputMs?: number;
  /** Round trips in the latency run. Default 200. */
  latencySamples?: number;
  /** Threshold values to judge by instead of the defaults in thresholds.ts (a stricter CI gate, say). */
  thresholds?: Partial<Record<ThresholdName, number>>;
}

export const DIAGNOSIS_DEFAULTS = {
  timeoutMs: 10_000,
  throughputMs: STEADY_CAP_MS,
  latencySamples: 200,
} as const;

export interface DiagnosisResult<
  T extends ThroughputFigures = ThroughputFigures,
  L extends LatencyFigures = LatencyFigures,
> {
  startedAt: string;
  durationMs: number;
  support: SupportResult;
  connection: OpenResult | null;
  timeline: TimelineEntry[];
  /** Wall-clock time of the timeline's t = 0. */
  timelineStartedAt: string;
  timelineDropped: number;
  candidates: CandidateSummary;
  /** The probe in the inspected web page beside this extension page; null where there is no inspected page. */
  webPage: WebPageEvidence | null;
  throughput: T | null;
  latency: L | null;
  findings: Finding[];
  verdict: Verdict;
  headline: string;
}

/** What the diagnosis needs from the Lab; the Lab itself in the panel, a fake in unit tests. */
export interface DiagnosisLab<T extends ThroughputFigures, L extends LatencyFigures> {
  readonly phase: Phase;
  readonly openSession: LoopbackSession | null;
  readonly timeline: Timeline;
  readonly findings: Finding[];
  connect(options?: ConnectOptions): Promise<OpenResult>;
  disconnect(): Promise<void>;
  runThroughput(options: { durationMs: number; untilSteady: true }): Promise<T>;
  runLatency(options: { samples: number }): Promise<L>;
  /** The web-page probe (web-page-probe.ts); null when the panel has no inspected page. */
  probeWebPage?(): Promise<WebPageEvidence | null>;
}

/** How features are tried: in the browser, the real checks; in unit tests, fakes with known answers. */
export interface SupportProbes {
  api(): SupportCheck[];
  connection(session: LoopbackSession): Promise<SupportCheck[]>;
}

const BROWSER_PROBES: SupportProbes = { api: apiChecks, connection: connectionChecks };

export async function runDiagnosis<T extends ThroughputFigures, L extends LatencyFigures>(
  lab: DiagnosisLab<T, L>,
  report: (progress: DiagnosisProgress) => void,
  options: DiagnosisOptions = {},
  probes: SupportProbes = BROWSER_PROBES,
): Promise<DiagnosisResult<T, L>> {
  const settings = { ...DIAGNOSIS_DEFAULTS, ...options };
  let judgeBy: ThresholdValues;
  try {
    judgeBy = thresholdValues(options.thresholds);
  } catch (error) {
    throw new LabError("invalid-option", errorMessage(error));
  }
  const startedAt = new Date();
  const started = performance.now();
  const total = DIAGNOSIS_STEPS.length;
  const index = (step: DiagnosisStep) => DIAGNOSIS_STEPS.indexOf(step) + 1;
  const atMs = () => Math.round(performance.now() - started);
  const begin = (step: DiagnosisStep) =>
    report({ step, index: index(step), total, atMs: atMs(), status: "running" });
  const end = (step: DiagnosisStep, status: "done" | "skipped" | "failed", detail: string) =>
    report({ step, index: index(step), total, atMs: atMs(), status, detail });
  const errorFindings: Finding[] = [];

  begin("support");
  const api = probes.api();
  const apiMissing = api.find(
    (c) => c.status === "no" && (c.id === "rtc-peer-connection" || c.id === "data-channel"),
  );
  end("support", apiMissing ? "failed" : "done", apiMissing ? apiMissing.detail : summarizeChecks(api));

  // A fresh session, so the timeline in the report is this diagnosis's and nothing older.
  begin("connect");
  if (lab.phase !== "idle") {
    // A connect still under way settles (cancelled) before the fresh one starts.
    const pending = lab.phase === "connecting" ? lab.connect().catch(() => undefined) : undefined;
    await lab.disconnect();
    await pending;
  }
  let connection: OpenResult | null = null;
  let connectFindings: Finding[] = [];
  if (apiMissing) {
    end("connect", "skipped", "no RTCPeerConnection with data channels to connect");
  } else {
    try {
      connection = await lab.connect({ timeoutMs: settings.timeoutMs });
      connectFindings = lab.findings;
      end("connect", "done", `channel open after ${connection.timeToOpenMs.toFixed(1)} ms`);
    } catch (error) {
      connectFindings = lab.findings;
      if (connectFindings.length === 0) errorFindings.push(unexpected("connect-failed", "connecting", error));
      end("connect", "failed", errorMessage(error));
    }
  }

  begin("channels");
  const session = connection ? lab.openSession : null;
  let channelChecks = connectionChecksNotRun("the loopback data channel did not open");
  if (session) {
    channelChecks = await probes.connection(session);
    end("channels", "done", summarizeChecks(channelChecks));
  } else end("channels", "skipped", "no open connection to try them on");
  const support: SupportResult = { checks: [...api, ...channelChecks] };

  begin("candidates");
  const candidates = summarizeCandidates(lab.timeline.list());
  end("candidates", "done", `${candidates.total} gathered`);

  begin("webpage");
  let webPage: WebPageEvidence | null = null;
  if (apiMissing) end("webpage", "skipped", "no RTCPeerConnection here to compare a web page with");
  else if (!lab.probeWebPage)
    end("webpage", "skipped", "no inspected page: the panel is not inside DevTools");
  else {
    webPage = await lab.probeWebPage();
    if (!webPage) end("webpage", "skipped", "no inspected page: the panel is not inside DevTools");
    else if (!webPage.page) end("webpage", "skipped", webPage.pageError ?? "the probe did not run");
    else
      end(
        "webpage",
        "done",
        `${webPage.origin || "the page"}: ${webPage.page.opened ? "opened" : "did not open"}${webPage.pageFirstTry ? (webPage.page.opened ? " on its second try" : " in two tries") : ""}, ${webPage.page.candidates.total} candidate${webPage.page.candidates.total === 1 ? "" : "s"} (here: ${webPage.extension.opened ? "opened" : "did not open"}, ${webPage.extension.candidates.total})`,
      );
  }

  begin("throughput");
  let throughput: T | null = null;
  if (lab.openSession) {
    try {
      throughput = await lab.runThroughput({ durationMs: settings.throughputMs, untilSteady: true });
      end("throughput", "done", throughputDetail(throughput));
    } catch (error) {
      errorFindings.push(unexpected("throughput-failed", "the throughput run", error));
      end("throughput", "failed", errorMessage(error));
    }
  } else end("throughput", "skipped", "no open data channel");

  begin("latency");
  let latency: L | null = null;
  if (lab.openSession) {
    try {
      latency = await lab.runLatency({ samples: settings.latencySamples });
      end("latency", "done", `p50 ${milliseconds(latency.p50Ms)}, p95 ${milliseconds(latency.p95Ms)}`);
    } catch (error) {
      errorFindings.push(unexpected("latency-failed", "the latency run", error));
      end("latency", "failed", errorMessage(error));
    }
  } else end("latency", "skipped", "no open data channel");

  begin("verdict");
  const measurements = { connection, throughput, latency };
  // Only a browser told to allow loopback candidates gathers them: a user's browser would find none.
  const loopbackOnly =
    connection && candidates.total > 0 && candidates.loopback === candidates.total
      ? [
          finding(
            "loopback-only",
            `The channel opened only through loopback addresses (all ${candidates.total} candidates were 127.0.0.1 or ::1).`,
          ),
        ]
      : [];
  const findings = [
    ...connectFindings,
    ...loopbackOnly,
    ...(webPage ? webPageFindings(webPage) : []),
    ...supportFindings(support),
    ...measurementFindings(measurements, judgeBy),
    ...errorFindings,
  ];
  const verdict = verdictOf(findings);
  const result: DiagnosisResult<T, L> = {
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    support,
    connection,
    timeline: lab.timeline.list(),
    timelineStartedAt: lab.timeline.startedAt,
    timelineDropped: lab.timeline.dropped,
    candidates,
    webPage,
    throughput,
    latency,
    findings,
    verdict,
    headline: headline(verdict, findings, measurements),
  };
  end("verdict", "done", verdict);
  return result;
}

function throughputDetail(t: ThroughputFigures): string {
  if (!t.steady) return rate(t.bytesPerSecond);
  return `${rate(t.steady.bytesPerSecond)}, ${howSteady(t.steady, t.settings?.messageSize)}`;
}

function summarizeChecks(checks: SupportResult["checks"]): string {
  const yes = checks.filter((c) => c.status === "yes").length;
  const no = checks.filter((c) => c.status === "no").map((c) => c.id);
  return no.length === 0 ? `${yes} of ${checks.length} supported` : `not working: ${no.join(", ")}`;
}

/** A step that threw where no finding explains why: a failure in its own right, with the error's words. */
function unexpected(code: FindingCode, what: string, error: unknown): Finding {
  const cancelled = error instanceof LabError && error.code === "cancelled";
  return finding(
    code,
    `${what[0]?.toUpperCase()}${what.slice(1)} did not complete: ${errorMessage(error)}`,
    cancelled
      ? "The session was ended while the diagnosis ran (Disconnect, or DevTools closed); run it again."
      : "Run the diagnosis again; if it repeats, attach this report to a bug report.",
  );
}
