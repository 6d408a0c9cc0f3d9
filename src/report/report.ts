// The report: everything a diagnosis (or, before one has run, the current session) found, as one
// JSON-serialisable object whose shape is versioned by `schema` and described by report.schema.json.
// Change the shape only together with the schema, and bump the version when old readers would break.

import type { Finding } from "../contract/findings";
import { levelOf } from "../contract/levels";
import type { DiagnosisStop } from "../engine/diagnose/diagnoser";
import type { DiagnosisResult } from "../engine/diagnose/diagnosis";
import { DIAGNOSIS_STEP_SPECS } from "../engine/diagnose/diagnosis-steps";
import type { SupportResult } from "../engine/diagnose/support";
import { headline, type Verdict } from "../engine/diagnose/verdict";
import type { OpenedDump } from "../engine/dump/dump-watch";
import type { DumpSource } from "../engine/dump/internals-dump";
import type { IceCheckResult } from "../engine/ice/ice-check";
import type { LatencyResult } from "../engine/measure/latency";
import type { ThroughputResult } from "../engine/measure/throughput";
import type { RecordedChannel } from "../engine/page/page-batch";
import type { PageConnection, PageRecording } from "../engine/page/page-recording";
import type { WebPageEvidence } from "../engine/page/web-page-probe";
import type { OpenResult } from "../engine/session/loopback-session";
import { type CandidateSummary, summarizeCandidates } from "../engine/watch/candidate-summary";
import type { PairSummary } from "../engine/watch/pair-stats";
import type { TimelineEntry } from "../engine/watch/timeline";
import type { WatchedConnection } from "../engine/watch/watched-connection";
import { resolvedFigures } from "../format/figures";
import { type BrowserIdentity, currentBrowser } from "./browser-identity";
import { type WorkSection, type WorkSource, workMadeAt, workSection } from "./work-section";

export const REPORT_SCHEMA = "webrtc-loopback-report/2";
/** Reports this version still opens: version 2 only added `iceCheck`. */
export const READABLE_REPORT_SCHEMAS: readonly string[] = ["webrtc-loopback-report/1", REPORT_SCHEMA];

/** Set by build.mjs from package.json; absent when the source runs unbundled (unit tests). */
declare const __EXTENSION_VERSION__: string | undefined;
export const EXTENSION_VERSION =
  typeof __EXTENSION_VERSION__ === "string" ? __EXTENSION_VERSION__ : "development";

interface ReportCommon {
  schema: typeof REPORT_SCHEMA | "webrtc-loopback-report/1";
  /** When the data was made: the diagnosis's end, or the person's latest run or session; the export time when there was none. */
  createdAt: string;
  /** When the report was copied, saved or printed. Absent in older reports. */
  exportedAt?: string;
  /** The person's own session and latest runs, kept beside the diagnosis. Absent in older reports. */
  work?: WorkSection;
  /** Set when Stop ended the latest diagnosis: when, and at which step. The verdict, if any, is an earlier diagnosis's. */
  diagnosisStopped?: DiagnosisStop & { stepName: string };
  browser: BrowserIdentity;
  extensionVersion: string;
  /** Where the panel ran: in the browser's DevTools, or as the extension's page in a tab. */
  openedIn?: "devtools" | "tab";
  timeline: TimelineEntry[];
  /** The wall-clock time of the timeline's t = 0 (Connect), to line it up with other logs. */
  timelineStartedAt?: string;
  timelineDropped: number;
  candidates: CandidateSummary;
  /** Milliseconds from Connect to both channel ends open; null when it did not open. */
  timeToOpenMs: number | null;
  sctp: { maxMessageSize: number; maxChannels: number | null } | null;
  throughput: ThroughputResult | null;
  latency: LatencyResult | null;
  findings: Finding[];
  /** The verdict in one plain sentence. */
  headline: string;
  /**
   * The last ICE-server check (version 2 on): its own level and headline, apart from the verdict,
   * so a mistyped server never makes a healthy local stack read as failed. No credentials.
   */
  iceCheck?: IceCheckResult | null;
  /** Set by `diagnose --allow-loopback`: the browser could use loopback candidates, as users' browsers cannot. */
  launchedWith?: {
    allowLoopback: boolean;
    /** diagnose --browser-arg: Chromium's extra arguments (URLs without user info). */
    browserArgs?: string[];
    /** diagnose --firefox-pref: Firefox's extra preferences. */
    firefoxPrefs?: Record<string, string | number | boolean>;
  };
  /** The inspected page's connections, recorded from a reload on (version 2 on); no message contents, no addresses. */
  page?: PageSection | null;
  /** "dump": made from a dump someone sent (diagnose --dump), not by this browser; absent otherwise. */
  source?: "dump";
  /** The dump opened in the panel (or read by diagnose --dump): no credentials, no queries, no addresses. */
  dump?: DumpSection | null;
  /**
   * The diagnosis's web-page probe: the same short loopback in the inspected web page and in this
   * extension page, and the browser's WebRTC IP-handling setting where it could be read. No addresses.
   */
  webPage?: WebPageEvidence | null;
}

type RecordedConnectionSection = PageSection["connections"][number];

export interface DumpSection {
  fileName: string;
  format: DumpSource["format"];
  /** The browser that made the dump, as the dump names it. */
  userAgent: string;
  createdAt: string | null;
  /** The wall-clock time of every connection's t = 0: the first thing the dump logged. */
  startedAt: string | null;
  /** What was capped or could not be read. */
  notes: string[];
  untrackedConnections: number;
  connections: (RecordedConnectionSection & { key: string })[];
}

interface PageSection {
  /** The inspected page's origin (never its path or query). */
  origin: string;
  /** When the recorder started in the page; every connection's `t` counts from here. */
  startedAt: string | null;
  droppedEvents: number;
  refusedBatches: number;
  /** Connections the page made beyond the recorder's cap: in no list and no total. */
  untrackedConnections?: number;
  /** Connections the recorders tracked past what the panel keeps: in no list and no total. */
  notShownConnections?: { count: number; atLeast: boolean; shownAtMost: number };
  connections: {
    id: number;
    frameOrigin: string;
    timeline: TimelineEntry[];
    channels: RecordedChannel[];
    untrackedChannels: number;
    /** Older timeline entries let go (the connection's cap, or the recording's budget). */
    timelineDropped?: number;
    findings: Finding[];
    /** Its paths from getStats, where the recorder read them. */
    stats?: PairSummary;
  }[];
}

/**
 * A "diagnosis" report comes from Run diagnosis and has every section; a "session" report describes
 * only what the current session did (no feature detection, and no verdict until something was tried).
 */
export type Report =
  | (ReportCommon & { kind: "diagnosis"; support: SupportResult; verdict: Verdict; diagnosisMs: number })
  | (ReportCommon & { kind: "session"; support: null; verdict: Verdict | null });

/** What a report is built from: the Lab in the panel, anything shaped like it elsewhere. */
/** What a report is made from: the Lab's parts, as far as a report reads them. */
export interface ReportSource extends WorkSource {
  readonly openedIn?: "devtools" | "tab";
  readonly session: WorkSource["session"] & {
    readonly connection: OpenResult | null;
    readonly watched: WatchedConnection;
  };
  readonly runs: {
    readonly throughput: { readonly last: ThroughputResult | null };
    readonly latency: { readonly last: LatencyResult | null };
  };
  readonly diagnosis: {
    readonly job: { readonly last: DiagnosisResult<ThroughputResult, LatencyResult> | null };
    readonly stopped?: DiagnosisStop | null;
  };
  readonly ice?: { readonly job: { readonly last: IceCheckResult | null } };
  readonly page?: { readonly recording: PageRecording };
  readonly dump?: { readonly opened: OpenedDump | null };
}

export function buildReport(source: ReportSource, options: { includeMessages?: boolean } = {}): Report {
  const exportedAt = new Date().toISOString();
  const work = workSection(source, options.includeMessages === true);
  const diagnosis = source.diagnosis.job.last;
  const stopped = source.diagnosis.stopped ?? null;
  const common = {
    schema: REPORT_SCHEMA,
    createdAt: (diagnosis ? diagnosisEnd(diagnosis) : workMadeAt(work)) ?? exportedAt,
    exportedAt,
    work,
    browser: currentBrowser(),
    extensionVersion: EXTENSION_VERSION,
    ...(source.openedIn ? { openedIn: source.openedIn } : {}),
    iceCheck: source.ice?.job.last ?? null,
    page: source.page ? pageSection(source.page.recording) : null,
    dump: source.dump?.opened ? dumpSection(source.dump.opened) : null,
    ...(stopped
      ? { diagnosisStopped: { ...stopped, stepName: DIAGNOSIS_STEP_SPECS[stopped.step].name } }
      : {}),
  } as const;
  if (diagnosis) {
    return resolvedFigures({
      ...common,
      kind: "diagnosis",
      timeline: diagnosis.timeline,
      ...(diagnosis.timelineStartedAt ? { timelineStartedAt: diagnosis.timelineStartedAt } : {}),
      timelineDropped: diagnosis.timelineDropped,
      candidates: diagnosis.candidates,
      webPage: diagnosis.webPage,
      timeToOpenMs: diagnosis.connection?.timeToOpenMs ?? null,
      sctp: sctpOf(diagnosis.connection),
      throughput: diagnosis.throughput,
      latency: diagnosis.latency,
      findings: diagnosis.findings,
      headline: diagnosis.headline,
      support: diagnosis.support,
      verdict: diagnosis.verdict,
      diagnosisMs: diagnosis.durationMs,
    });
  }
  return resolvedFigures({ ...common, ...sessionSections(source) });
}

/** When a diagnosis ended: its start plus its duration. */
function diagnosisEnd(d: { startedAt: string; durationMs: number }): string | null {
  const end = Date.parse(d.startedAt) + d.durationMs;
  return Number.isFinite(end) ? new Date(end).toISOString() : null;
}

/** The person's session and runs, where no diagnosis has run. */
function sessionSections(source: ReportSource) {
  const open = source.session.connection;
  const { timeline, findings } = source.session.watched;
  const throughput = source.runs.throughput.last;
  const latency = source.runs.latency.last;
  const verdict = findings.length > 0 ? levelOf(findings) : null;
  const connection = open ? { timeToOpenMs: open.timeToOpenMs, maxMessageSize: open.maxMessageSize } : null;
  const entries = timeline.list();
  return {
    kind: "session" as const,
    timeline: entries,
    ...(timeline.startedAt ? { timelineStartedAt: timeline.startedAt } : {}),
    timelineDropped: timeline.dropped,
    candidates: summarizeCandidates(entries),
    timeToOpenMs: open?.timeToOpenMs ?? null,
    sctp: sctpOf(open),
    throughput,
    latency,
    findings,
    headline: verdict
      ? headline(verdict, findings, { connection, throughput, latency })
      : "Nothing has been tested yet: run the diagnosis to get a verdict.",
    support: null,
    verdict,
  };
}

function sctpOf(open: { maxMessageSize: number; maxChannels: number | null } | null): Report["sctp"] {
  return open ? { maxMessageSize: open.maxMessageSize, maxChannels: open.maxChannels } : null;
}

/** Null until something was recorded: a report says nothing of pages nobody recorded. */
function pageSection(recording: PageRecording): PageSection | null {
  if (recording.connections.length === 0 && recording.startedAt === null) return null;
  return {
    origin: recording.origin,
    startedAt: recording.startedAt,
    droppedEvents: recording.dropped,
    refusedBatches: recording.refusedBatches,
    untrackedConnections: recording.untrackedConnections,
    ...(recording.notShownConnections.count > 0
      ? { notShownConnections: recording.notShownConnections }
      : {}),
    connections: recording.connections.map(connectionSection),
  };
}

export function dumpSection(opened: OpenedDump): DumpSection {
  return {
    fileName: opened.fileName,
    format: opened.source.format,
    userAgent: opened.source.userAgent,
    createdAt: opened.source.createdAt,
    startedAt: opened.source.startedAt,
    notes: opened.notes,
    untrackedConnections: opened.untrackedConnections,
    connections: opened.connections.map((c) => ({ key: c.key, ...connectionSection(c) })),
  };
}

function connectionSection(c: PageConnection): RecordedConnectionSection {
  return {
    id: c.id,
    frameOrigin: originOf(c.frameUrl),
    timeline: c.watched.timeline.list(),
    channels: c.channels,
    untrackedChannels: c.untrackedChannels,
    ...(c.watched.timeline.dropped > 0 ? { timelineDropped: c.watched.timeline.dropped } : {}),
    findings: c.watched.findings,
    ...(c.stats ? { stats: c.stats } : {}),
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}
