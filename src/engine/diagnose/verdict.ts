// From measurements to findings, and from findings to the verdict: pass, warn or fail, with a headline
// in plain words. Pure, so every rule is unit-tested; the numbers come from thresholds.ts.
import { type Finding, type FindingCode, type FindingLevel, finding } from "../../contract/findings";
import { sentence } from "../../format/sentence";
import { howSteady } from "../../format/steady-rate";
import { bytes, counted, rate as MB, milliseconds as ms } from "../../format/units";
import type { LatencyResult } from "../measure/latency";
import type { SteadyRate } from "../measure/steady-state";
import { DRAIN_MAX_MS, headlineRate, type ThroughputResult } from "../measure/throughput";
import type { ThroughputSettings } from "../measure/throughput-options";
import { crosses, DEFAULT_THRESHOLD_VALUES, THRESHOLDS, type ThresholdValues } from "./thresholds";

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
> & {
  cancelReason?: string | null;
  connectionLost?: boolean;
  /** The sustained rate (absent from reports written before it existed). */
  steady?: SteadyRate | null;
  settings?: Pick<ThroughputSettings, "messageSize">;
  /** Set when the run stopped waiting for a slow link to drain (DRAIN_MAX_MS, or sooner when hopeless). */
  drainCutMs?: number;
  /** Of a run cut sooner: how long its queue would have taken at the path's rate. */
  drainProjectedMs?: number;
  inFlight?: number;
  /** Of a cut run: the receiving end's bytes off the wire per second (ICE's count). */
  pathBytesPerSecond?: number;
};

/** What a verdict reads from a latency result. */
export type LatencyFigures = Pick<
  LatencyResult,
  "samples" | "cancelled" | "p50Ms" | "p95Ms" | "p99Ms" | "maxMs"
> & {
  /** The clock's resolution: a round trip under it reads as "under 1 ms", not "0.00 ms". */
  resolutionMs?: number;
  cancelReason?: string | null;
  connectionLost?: boolean;
};

export interface Measurements {
  /** null when the channel never opened. */
  connection: { timeToOpenMs: number; maxMessageSize: number } | null;
  throughput: ThroughputFigures | null;
  latency: LatencyFigures | null;
}

/** Findings from the figures a diagnosis measured, judged against THRESHOLDS (or the values given). */
export function measurementFindings(
  m: Measurements,
  values: ThresholdValues = DEFAULT_THRESHOLD_VALUES,
): Finding[] {
  const findings: Finding[] = [];
  if (m.connection) {
    if (crosses("timeToOpenMs", m.connection.timeToOpenMs, values)) {
      findings.push(
        finding(
          THRESHOLDS.timeToOpenMs.code,
          `The data channel took ${ms(m.connection.timeToOpenMs)} to open; loopback normally opens in well under a second (warning above ${values.timeToOpenMs} ms).`,
        ),
      );
    }
    if (crosses("maxMessageSize", m.connection.maxMessageSize, values)) {
      findings.push(
        finding(
          THRESHOLDS.maxMessageSize.code,
          `The connection accepts messages of at most ${m.connection.maxMessageSize} bytes, less than the ${values.maxMessageSize} bytes RFC 8831 lets applications assume.`,
        ),
      );
    }
  }
  if (m.throughput) findings.push(...throughputFindings(m.throughput, values, m.latency));
  if (m.latency) findings.push(...latencyFindings(m.latency, values));
  return findings;
}

function throughputFindings(
  t: ThroughputFigures,
  values: ThresholdValues,
  latency: LatencyFigures | null,
): Finding[] {
  if (t.connectionLost)
    return [
      finding(
        "connection-lost",
        `The connection was lost during the throughput run: ${t.cancelReason ?? "no reason given"}. Until then ${bytes(t.bytes)} in ${counted(t.messages, "message")} had been delivered intact.`,
      ),
    ];
  if (t.cancelled) return [stopped("throughput-failed", "throughput", t.cancelReason)];
  // The diagnosis's run is reliable and ordered: anything missing, late or altered is a broken channel.
  const damaged = t.lost + t.outOfOrder + t.corrupted;
  if (damaged > 0) {
    return [
      finding(
        "data-not-intact",
        `A reliable, ordered channel did not deliver intact data: ${t.lost} lost, ${t.outOfOrder} out of order, ${t.corrupted} corrupted of ${counted(t.messages + t.lost, "message")}.`,
      ),
    ];
  }
  if (t.bytes === 0) {
    const size = t.settings?.messageSize;
    const path = t.pathBytesPerSecond ?? 0;
    // Bytes kept moving, too slowly for one message to complete: a slow link, not a channel that carries nothing.
    if (t.drainCutMs !== undefined && path > 0)
      return [
        finding(
          THRESHOLDS.throughputBytesPerSecond.code,
          `Not one ${size ? `${bytes(size)} ` : ""}message arrived whole, though the link kept carrying bytes: about ${MB(path)} off the wire (ICE's count, packet overhead included), at which one such message takes ${size ? `about ${Math.round(size / path)} s` : "longer than the run"}. ${stoppedWaiting(t.drainCutMs, t.drainProjectedMs)}.`,
          SLOW_LINK_HINT,
        ),
      ];
    return [
      finding(
        "no-throughput",
        t.drainCutMs !== undefined
          ? `Not one ${size ? `${bytes(size)} ` : ""}message arrived whole: once sending ended the run waited ${(t.drainCutMs / 1000).toFixed(1)} s for its queue to drain, and the link, still carrying bytes, completed none.`
          : `The throughput run delivered no data${t.durationMs > 0 ? ` in ${ms(t.durationMs)}` : ""}.`,
      ),
    ];
  }
  const sustained = headlineRate(t);
  if (crosses("throughputBytesPerSecond", sustained, values)) {
    return [
      finding(
        THRESHOLDS.throughputBytesPerSecond.code,
        `Throughput was ${MB(sustained)}${steadyNote(t)}, below the ${MB(values.throughputBytesPerSecond)} a loopback channel should reach (MB = 10^6 bytes).${drainNote(t)}`,
        latency ? latencyEvidence(latency, values)?.throughput : undefined,
      ),
    ];
  }
  return [
    finding(
      "throughput-measured",
      t.steady
        ? `The channel sustained ${MB(sustained)}${steadyNote(t)}; it moved ${bytes(t.bytes)} in ${ms(t.durationMs)} (${MB(t.bytesPerSecond)} with the ramp-up), every message intact and in order (MB = 10^6 bytes).${drainNote(t)}`
        : `The channel moved ${bytes(t.bytes)} in ${ms(t.durationMs)}: ${MB(t.bytesPerSecond)} (MB = 10^6 bytes), every message intact and in order.${drainNote(t)}`,
    ),
  ];
}

/** " The run stopped waiting …": said of a run cut while a slow link still drained its queue. */
function drainNote(t: ThroughputFigures): string {
  if (t.drainCutMs === undefined) return "";
  const owed = (t.inFlight ?? 0) * (t.settings?.messageSize ?? 0);
  return ` ${stoppedWaiting(t.drainCutMs, t.drainProjectedMs)}, with ${owed > 0 ? bytes(owed) : "data"} still on the way: the link is too slow to drain its queue within ${DRAIN_MAX_MS / 1000} s.`;
}

/** "The run stopped waiting 30.0 s after sending ended" and, where it stopped early, why. */
function stoppedWaiting(cutMs: number, projectedMs: number | undefined): string {
  if (projectedMs === undefined)
    return `The run stopped waiting ${(cutMs / 1000).toFixed(1)} s after sending ended`;
  const why = `at the link's rate not one more message could arrive whole within its ${DRAIN_MAX_MS / 1000} s bound, and the queue would have taken about ${Math.round(projectedMs / 1000)} s`;
  return cutMs < 1000
    ? `The run did not wait for its queue to drain (${why})`
    : `The run stopped waiting ${(cutMs / 1000).toFixed(1)} s after sending ended (${why} more)`;
}

/** " (steady after 1.20 s of ramp-up, 256 KiB messages)": how the headline rate was measured. */
function steadyNote(t: ThroughputFigures): string {
  return t.steady ? ` (${howSteady(t.steady, t.settings?.messageSize)})` : "";
}

function latencyFindings(l: LatencyFigures, values: ThresholdValues): Finding[] {
  if (l.connectionLost)
    return [
      finding(
        "connection-lost",
        `The connection was lost during the latency run: ${l.cancelReason ?? "no reason given"}. ${counted(l.samples, "round trip")} had been timed until then.`,
      ),
    ];
  if (l.cancelled || l.samples === 0) return [stopped("latency-failed", "latency", l.cancelReason)];
  if (crosses("latencyP95Ms", l.p95Ms, values)) {
    return [
      finding(
        THRESHOLDS.latencyP95Ms.code,
        `Round trips took ${roundTrip(l.p95Ms, l)} at the 95th percentile (p50 ${roundTrip(l.p50Ms, l)}); loopback should stay near a millisecond (warning above ${values.latencyP95Ms} ms).`,
        latencyEvidence(l, values)?.latency,
      ),
    ];
  }
  return [
    finding(
      "latency-measured",
      `Round trips took ${roundTrip(l.p50Ms, l)} at the median and ${roundTrip(l.p95Ms, l)} at the 95th percentile.`,
    ),
  ];
}

/**
 * Hints from the shape of the round trips rather than one stock cause: every round trip long means
 * the path itself is slow; a fast median with slow outliers of hundreds of ms is what retransmissions
 * after lost packets look like; fast round trips beside a low rate point at limited bandwidth.
 * Null when the pattern says none of these (the catalogue's hint stands).
 */
export function latencyEvidence(
  l: Pick<LatencyFigures, "samples" | "p50Ms" | "p95Ms" | "maxMs">,
  values: ThresholdValues,
): { latency: string; throughput: string } | null {
  if (l.samples < 10 || !Number.isFinite(l.p50Ms) || !Number.isFinite(l.p95Ms)) return null;
  const limit = values.latencyP95Ms;
  if (l.p50Ms >= limit / 2 && l.p95Ms <= 2 * l.p50Ms)
    return {
      latency: `Every round trip is long (p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}): the path itself is slow (added network delay, a VPN, a remote or shaped interface), not a page that is busy at times, which would slow only some round trips.`,
      throughput: `The round trip is long (p50 ${ms(l.p50Ms)}), and SCTP's throughput falls as the round trip grows: the path is the limit here, not the browser or the machine.`,
    };
  if (l.p50Ms < limit / 2 && l.p95Ms >= 150 && l.p95Ms >= 5 * l.p50Ms)
    return {
      latency: `Most round trips are fast (p50 ${ms(l.p50Ms)}) but the slowest take ${ms(l.p95Ms)} or more: delays of hundreds of ms on an otherwise fast path are what retransmissions after lost packets look like. A machine or page that is busy at times can look similar: check the load if the path is local.`,
      throughput: `Round trips are mostly fast but spike to ${ms(l.p95Ms)}: the pattern of lost packets and retransmissions, which make SCTP slow down.`,
    };
  // Only a low rate reads this one (with round trips this fast there is no latency finding): at a
  // p95 under half the threshold, the round trip cannot hold SCTP down to a low rate.
  if (l.p95Ms < limit / 2) {
    const fast = `Round trips stay fast (p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}) while the bulk rate is low: bandwidth is what is limited, not delay (a rate-limited or shaped interface, a VPN, traffic-shaping software); a busy machine would slow the round trips as well.`;
    return { latency: fast, throughput: fast };
  }
  return null;
}

/** A run with no message whole on a link that kept carrying bytes: its rate on the wire, in words; else null. */
export function slowPathWords(t: ThroughputFigures): string | null {
  return t.bytes === 0 && (t.pathBytesPerSecond ?? 0) > 0
    ? `no message whole, about ${MB(t.pathBytesPerSecond ?? 0)} on the wire`
    : null;
}

const SLOW_LINK_HINT =
  "The link itself is the limit: bytes kept moving, far slower than this machine moves them on loopback. A shaped, congested or metered path does this; applications there need small messages, and the same run on a faster path will tell the two apart.";

/** A round trip as the clock can tell it: below its resolution, "under 1 ms" rather than "0.00 ms". */
function roundTrip(value: number, l: LatencyFigures): string {
  const resolution = l.resolutionMs ?? 0;
  return resolution > 0 && value < resolution ? `under ${resolution} ms` : ms(value);
}

/** A run the diagnosis started on an open channel that did not reach its end: the channel broke. */
function stopped(code: FindingCode, run: string, reason: string | null | undefined): Finding {
  return finding(code, `The ${run} run stopped before its end: ${sentence(reason ?? "cancelled")}`);
}

/** The verdict in one sentence a person can act on. */
export function headline(verdict: Verdict, findings: readonly Finding[], m: Measurements): string {
  if (verdict === "fail") {
    const first = findings.find((f) => f.level === "fail");
    return `WebRTC data channels do not work here: ${first?.message ?? "a check failed."}`;
  }
  const speed = [
    m.throughput ? (slowPathWords(m.throughput) ?? MB(headlineRate(m.throughput))) : null,
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
