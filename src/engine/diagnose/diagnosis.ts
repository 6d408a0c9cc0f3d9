// "Run diagnosis": every check in order, each announced as it starts and ends so people (and the
// command line) see progress: feature detection, a fresh loopback session with its timeline, the
// channel features that need a connection, the candidates gathered, a short throughput run and a
// latency run; then the findings and the verdict. A step that cannot run is skipped with the reason,
// never silently: a browser where no connection forms still gets a complete diagnosis (verdict fail).

import { type Audience, type Finding, type FindingCode, finding } from "../../contract/findings";
import { levelOf } from "../../contract/levels";
import { milliseconds } from "../../format/units";
import { abortable, errorMessage, LabError } from "../core/errors";
import { STEADY_TIMEOUT_MS } from "../measure/throughput-options";
import type { WebPageEvidence } from "../page/web-page-probe";
import type { ConnectOptions, Phase } from "../session/connector";
import type { LoopbackSession, OpenResult } from "../session/loopback-session";
import { type CandidateSummary, summarizeCandidates } from "../watch/candidate-summary";
import type { Timeline, TimelineEntry } from "../watch/timeline";
import {
  DIAGNOSIS_STEP_SPECS,
  DIAGNOSIS_STEPS,
  type DiagnosisStep,
  needsFreshConnection,
} from "./diagnosis-steps";
import { type HostNetwork, noInterfaceHint } from "./no-interface-hint";
import { summarizeChecks, throughputDetail, webPageDetail } from "./step-details";
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
} from "./verdict";
import { webPageFindings } from "./web-page-findings";

/**
 * One step starting or ending; `index` counts from 1 to `total`; `atMs` since the diagnosis began.
 * A running step says the most it takes (`timeoutMs`, see diagnosis-steps.ts).
 */
export type DiagnosisProgress =
  | { step: DiagnosisStep; index: number; total: number; atMs: number; status: "running"; timeoutMs: number }
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
  /**
   * Who reads the findings: a person at the panel (the default), whose hints may name its buttons,
   * or the command line (diagnose), whose hints name only what can be done from there.
   */
  audience?: Audience;
  /** The browser was started with loopback candidates allowed (diagnose --allow-loopback). */
  loopbackAllowed?: boolean;
  /** What the command line saw of this machine's network (no extension page can see it). */
  host?: HostNetwork;
}

const DIAGNOSIS_DEFAULTS = {
  audience: "panel" as Audience,
  loopbackAllowed: false,
  timeoutMs: 10_000,
  throughputMs: STEADY_TIMEOUT_MS,
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

/** The loopback the diagnosis runs on (its own, see diagnoser.ts); a fake in unit tests. */
export interface DiagnosisLoopback<T extends ThroughputFigures, L extends LatencyFigures> {
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

/** What the steps found so far: each step reads what earlier ones left and adds its own. */
interface Found<T extends ThroughputFigures, L extends LatencyFigures> {
  api: SupportCheck[];
  apiMissing: SupportCheck | undefined;
  connection: OpenResult | null;
  connectFindings: Finding[];
  channelChecks: SupportCheck[];
  candidates: CandidateSummary;
  webPage: WebPageEvidence | null;
  throughput: T | null;
  latency: L | null;
  /** Steps that threw where no finding explains why. */
  errorFindings: Finding[];
}

/** How a step ended, in words for its progress line. */
type StepEnd = { status: "done" | "skipped" | "failed"; detail: string };

interface StepContext<T extends ThroughputFigures, L extends LatencyFigures> {
  loopback: DiagnosisLoopback<T, L>;
  settings: Required<Omit<DiagnosisOptions, "thresholds" | "host">> & Pick<DiagnosisOptions, "host">;
  probes: SupportProbes;
  found: Found<T, L>;
}

export async function runDiagnosis<T extends ThroughputFigures, L extends LatencyFigures>(
  loopback: DiagnosisLoopback<T, L>,
  report: (progress: DiagnosisProgress) => void,
  options: DiagnosisOptions = {},
  probes: SupportProbes = BROWSER_PROBES,
  /** Stop: the step in hand is abandoned, and the diagnosis rejects naming it. */
  signal: AbortSignal = new AbortController().signal,
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
  const atMs = () => Math.round(performance.now() - started);
  const total = DIAGNOSIS_STEPS.length;
  const found: Found<T, L> = {
    api: [],
    apiMissing: undefined,
    connection: null,
    connectFindings: [],
    channelChecks: connectionChecksNotRun("the loopback data channel did not open"),
    candidates: summarizeCandidates([]),
    webPage: null,
    throughput: null,
    latency: null,
    errorFindings: [],
  };
  const context: StepContext<T, L> = { loopback, settings, probes, found };
  for (const [i, step] of DIAGNOSIS_STEPS.entries()) {
    if (step === "verdict") break;
    const timeoutMs = DIAGNOSIS_STEP_SPECS[step].timeoutMs({
      ...settings,
      freshConnection: needsFreshConnection(found.throughput),
    });
    if (signal.aborted) throw stoppedAt(step, i + 1, total);
    report({ step, index: i + 1, total, atMs: atMs(), status: "running", timeoutMs });
    let ended: StepEnd;
    try {
      ended = await abortable(Promise.resolve(STEPS[step](context)), signal);
    } catch (error) {
      throw signal.aborted ? stoppedAt(step, i + 1, total) : error;
    }
    report({ step, index: i + 1, total, atMs: atMs(), ...ended });
  }
  const verdictTimeoutMs = DIAGNOSIS_STEP_SPECS.verdict.timeoutMs(settings);
  report({
    step: "verdict",
    index: total,
    total,
    atMs: atMs(),
    status: "running",
    timeoutMs: verdictTimeoutMs,
  });
  const judged = judge(found, judgeBy, settings);
  const result: DiagnosisResult<T, L> = {
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    support: judged.support,
    connection: found.connection,
    timeline: loopback.timeline.list(),
    timelineStartedAt: loopback.timeline.startedAt,
    timelineDropped: loopback.timeline.dropped,
    candidates: found.candidates,
    webPage: found.webPage,
    throughput: found.throughput,
    latency: found.latency,
    findings: judged.findings,
    verdict: judged.verdict,
    headline: judged.headline,
  };
  report({ step: "verdict", index: total, total, atMs: atMs(), status: "done", detail: judged.verdict });
  return result;
}

type StepRunner = <T extends ThroughputFigures, L extends LatencyFigures>(
  context: StepContext<T, L>,
) => StepEnd | Promise<StepEnd>;

/** Each step but the verdict: what it does and how it ended. */
const STEPS: { readonly [S in Exclude<DiagnosisStep, "verdict">]: StepRunner } = {
  support: ({ probes, found }) => {
    found.api = probes.api();
    found.apiMissing = found.api.find(
      (c) => c.status === "no" && (c.id === "rtc-peer-connection" || c.id === "data-channel"),
    );
    return found.apiMissing
      ? { status: "failed", detail: found.apiMissing.detail }
      : { status: "done", detail: summarizeChecks(found.api) };
  },

  // A fresh session, so the timeline in the report is this diagnosis's and nothing older.
  connect: async ({ loopback, settings, found }) => {
    if (loopback.phase !== "idle") {
      // A connect still under way settles (cancelled) before the fresh one starts.
      const pending = loopback.phase === "connecting" ? loopback.connect().catch(() => undefined) : undefined;
      await loopback.disconnect();
      await pending;
    }
    if (found.apiMissing)
      return { status: "skipped", detail: "no RTCPeerConnection with data channels to connect" };
    try {
      found.connection = await loopback.connect({ timeoutMs: settings.timeoutMs });
      found.connectFindings = loopback.findings;
      return { status: "done", detail: `channel open after ${found.connection.timeToOpenMs.toFixed(1)} ms` };
    } catch (error) {
      found.connectFindings = loopback.findings;
      if (found.connectFindings.length === 0)
        found.errorFindings.push(unexpected("connect-failed", "connecting", error));
      return { status: "failed", detail: errorMessage(error) };
    }
  },

  channels: async ({ loopback, probes, found }) => {
    const session = found.connection ? loopback.openSession : null;
    if (!session) return { status: "skipped", detail: "no open connection to try them on" };
    found.channelChecks = await probes.connection(session);
    return { status: "done", detail: summarizeChecks(found.channelChecks) };
  },

  candidates: ({ loopback, found }) => {
    found.candidates = summarizeCandidates(loopback.timeline.list());
    return { status: "done", detail: `${found.candidates.total} gathered` };
  },

  webpage: async ({ loopback, found }) => {
    const noPage = "no inspected page: the panel is not inside DevTools";
    if (found.apiMissing)
      return { status: "skipped", detail: "no RTCPeerConnection here to compare a web page with" };
    if (!loopback.probeWebPage) return { status: "skipped", detail: noPage };
    found.webPage = await loopback.probeWebPage();
    if (!found.webPage) return { status: "skipped", detail: noPage };
    if (!found.webPage.page)
      return { status: "skipped", detail: found.webPage.pageError ?? "the probe did not run" };
    return { status: "done", detail: webPageDetail(found.webPage, found.webPage.page) };
  },

  throughput: async ({ loopback, settings, found }) => {
    if (!loopback.openSession) return { status: "skipped", detail: "no open data channel" };
    try {
      found.throughput = await loopback.runThroughput({
        durationMs: settings.throughputMs,
        untilSteady: true,
      });
      return { status: "done", detail: throughputDetail(found.throughput) };
    } catch (error) {
      found.errorFindings.push(unexpected("throughput-failed", "the throughput run", error));
      return { status: "failed", detail: errorMessage(error) };
    }
  },

  latency: async ({ loopback, settings, found }) => {
    if (!loopback.openSession) return { status: "skipped", detail: "no open data channel" };
    const fresh = needsFreshConnection(found.throughput);
    try {
      if (fresh) {
        await loopback.disconnect();
        await loopback.connect({ timeoutMs: settings.timeoutMs });
      }
      found.latency = await loopback.runLatency({ samples: settings.latencySamples });
      return {
        status: "done",
        detail: `p50 ${milliseconds(found.latency.p50Ms)}, p95 ${milliseconds(found.latency.p95Ms)}${fresh ? ", on a fresh connection (the throughput run's queue was still on the link)" : ""}`,
      };
    } catch (error) {
      found.errorFindings.push(unexpected("latency-failed", "the latency run", error));
      return { status: "failed", detail: errorMessage(error) };
    }
  },
};

/** The findings from everything the steps found, the verdict and its headline. */
function judge<T extends ThroughputFigures, L extends LatencyFigures>(
  found: Found<T, L>,
  judgeBy: ThresholdValues,
  { audience, loopbackAllowed, host }: { audience: Audience; loopbackAllowed: boolean; host?: HostNetwork },
) {
  const { connection, throughput, latency, candidates, webPage } = found;
  const support: SupportResult = { checks: [...found.api, ...found.channelChecks] };
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
    ...found.connectFindings.map((f) => {
      // What the run knows beyond the browser tells a missing network, route or setting apart.
      const hint = f.code === "no-interface-up" ? noInterfaceHint(host, loopbackAllowed) : undefined;
      return hint ? { ...f, hint } : f;
    }),
    ...loopbackOnly,
    ...(webPage ? webPageFindings(webPage, audience) : []),
    ...supportFindings(support),
    ...measurementFindings(measurements, judgeBy),
    ...found.errorFindings,
  ];
  const verdict = levelOf(findings);
  return { support, findings, verdict, headline: headline(verdict, findings, measurements) };
}

/** A diagnosis Stop ended: where it was, as data, for the report; its message for people. */
export class DiagnosisStopped extends LabError {
  constructor(
    readonly step: DiagnosisStep,
    readonly index: number,
    readonly total: number,
  ) {
    super(
      "cancelled",
      `The diagnosis was stopped at step ${index} of ${total} (${DIAGNOSIS_STEP_SPECS[step].name}); no verdict.`,
    );
  }
}

function stoppedAt(step: DiagnosisStep, index: number, total: number): LabError {
  return new DiagnosisStopped(step, index, total);
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
