// From measurements to findings, and from findings to the verdict: pass, warn or fail, with a headline
// in plain words. Pure, so every rule is unit-tested; the numbers come from thresholds.ts.
import type { Finding, FindingLevel } from "../../contract/findings";
import type { LatencyResult } from "../measure/latency";
import type { ThroughputResult } from "../measure/throughput";
import { crosses, THRESHOLDS } from "./thresholds";

export type Verdict = FindingLevel;

/** What a verdict reads from a throughput result: typed as a subset so unit tests need only these. */
export type ThroughputFigures = Pick<
  ThroughputResult,
  | "bytes"
  | "messages"
  | "durationMs"
  | "bytesPerSecond"
  | "messagesPerSecond"
  | "lost"
  | "outOfOrder"
  | "corrupted"
  | "cancelled"
> & { cancelReason?: string | null };

/** What a verdict reads from a latency result. */
export type LatencyFigures = Pick<
  LatencyResult,
  "samples" | "cancelled" | "p50Ms" | "p95Ms" | "p99Ms" | "maxMs"
> & {
  cancelReason?: string | null;
};

export interface Measurements {
  /** null when the channel never opened. */
  connection: { timeToOpenMs: number; maxMessageSize: number } | null;
  throughput: ThroughputFigures | null;
  latency: LatencyFigures | null;
}

/** Three significant figures, so a rate just under a threshold never prints as equal to it. */
const MB = (bytesPerSecond: number) => {
  const mb = bytesPerSecond / 1e6;
  return `${mb >= 100 ? mb.toFixed(0) : mb.toPrecision(3)} MB/s`;
};
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

/** Findings from the figures a diagnosis measured, judged against THRESHOLDS. */
export function measurementFindings(m: Measurements): Finding[] {
  const findings: Finding[] = [];
  if (m.connection) {
    if (crosses("timeToOpenMs", m.connection.timeToOpenMs)) {
      findings.push({
        level: "warn",
        code: THRESHOLDS.timeToOpenMs.code,
        message: `The data channel took ${ms(m.connection.timeToOpenMs)} to open; loopback normally opens in well under a second (warning above ${THRESHOLDS.timeToOpenMs.value} ms).`,
        hint: "Look at the timeline for the step that waited: ICE checks on an unreachable interface or a slow DTLS handshake.",
      });
    }
    if (crosses("maxMessageSize", m.connection.maxMessageSize)) {
      findings.push({
        level: "warn",
        code: THRESHOLDS.maxMessageSize.code,
        message: `The connection accepts messages of at most ${m.connection.maxMessageSize} bytes, less than the ${THRESHOLDS.maxMessageSize.value} bytes RFC 8831 lets applications assume.`,
        hint: "Applications must split their messages into smaller pieces here.",
      });
    }
  }
  if (m.throughput) findings.push(...throughputFindings(m.throughput));
  if (m.latency) findings.push(...latencyFindings(m.latency));
  return findings;
}

function throughputFindings(t: ThroughputFigures): Finding[] {
  if (t.cancelled) return [stopped("throughput-failed", "throughput", t.cancelReason)];
  // The diagnosis runs a reliable, ordered test: anything missing, late or altered is a broken channel.
  const damaged = t.lost + t.outOfOrder + t.corrupted;
  if (damaged > 0) {
    return [
      {
        level: "fail",
        code: "data-not-intact",
        message: `A reliable, ordered channel did not deliver intact data: ${t.lost} lost, ${t.outOfOrder} out of order, ${t.corrupted} corrupted of ${t.messages + t.lost} messages.`,
        hint: "This should never happen on a reliable channel; report it to the browser vendor with this report attached.",
      },
    ];
  }
  if (t.bytes === 0) {
    return [
      {
        level: "fail",
        code: "no-throughput",
        message: `The throughput test delivered no data in ${ms(t.durationMs)}.`,
        hint: "The channel opened but carried nothing: look for a channel error on the timeline.",
      },
    ];
  }
  if (crosses("throughputBytesPerSecond", t.bytesPerSecond)) {
    return [
      {
        level: "warn",
        code: THRESHOLDS.throughputBytesPerSecond.code,
        message: `Throughput was ${MB(t.bytesPerSecond)}, below the ${MB(THRESHOLDS.throughputBytesPerSecond.value)} a loopback channel should reach (MB = 10^6 bytes).`,
        hint: "Close other heavy tabs, disable extensions that inspect WebRTC, and check the machine is not busy.",
      },
    ];
  }
  return [
    {
      level: "pass",
      code: "throughput-measured",
      message: `The channel moved ${(t.bytes / 1e6).toFixed(2)} MB in ${ms(t.durationMs)}: ${MB(t.bytesPerSecond)} (MB = 10^6 bytes), every message intact and in order.`,
    },
  ];
}

function latencyFindings(l: LatencyFigures): Finding[] {
  if (l.cancelled || l.samples === 0) return [stopped("latency-failed", "latency", l.cancelReason)];
  if (crosses("latencyP95Ms", l.p95Ms)) {
    return [
      {
        level: "warn",
        code: THRESHOLDS.latencyP95Ms.code,
        message: `Round trips took ${ms(l.p95Ms)} at the 95th percentile (p50 ${ms(l.p50Ms)}); loopback should stay near a millisecond (warning above ${THRESHOLDS.latencyP95Ms.value} ms).`,
        hint: "The page or the browser is busy: check the machine's load and other tabs.",
      },
    ];
  }
  return [
    {
      level: "pass",
      code: "latency-measured",
      message: `Round trips took ${ms(l.p50Ms)} at the median and ${ms(l.p95Ms)} at the 95th percentile.`,
    },
  ];
}

/** A test the diagnosis started on an open channel that did not run to its end: the channel broke. */
function stopped(code: string, test: string, reason: string | null | undefined): Finding {
  return {
    level: "fail",
    code,
    message: `The ${test} test stopped before its end: ${reason ?? "cancelled"}.`,
    hint: "The channel closed or stalled under load: look at the timeline for a channel error or close.",
  };
}

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst level among the findings; pass when there are none to worry about. */
export function verdictOf(findings: readonly Finding[]): Verdict {
  let worst: Verdict = "pass";
  for (const finding of findings) if (RANK[finding.level] > RANK[worst]) worst = finding.level;
  return worst;
}

/** The worst of several verdicts (the command line's exit status for --browser all). */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (RANK[v] > RANK[worst] ? v : worst), "pass");
}

/** The verdict in one sentence a person can act on. */
export function headline(verdict: Verdict, findings: readonly Finding[], m: Measurements): string {
  if (verdict === "fail") {
    const first = findings.find((f) => f.level === "fail");
    return `WebRTC data channels do not work here: ${first?.message ?? "a check failed."}`;
  }
  const speed = [
    m.throughput ? MB(m.throughput.bytesPerSecond) : null,
    m.latency ? `p95 round trip ${ms(m.latency.p95Ms)}` : null,
  ].filter((part) => part !== null);
  const figures = speed.length > 0 ? ` (${speed.join(", ")})` : "";
  if (verdict === "warn") {
    const warnings = findings.filter((f) => f.level === "warn");
    const count = warnings.length === 1 ? "one warning" : `${warnings.length} warnings`;
    return `WebRTC data channels work here${figures}, with ${count}: ${warnings[0]?.message ?? ""}`;
  }
  return `WebRTC data channels work here${figures}.`;
}
