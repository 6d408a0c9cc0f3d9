// Builds reports for unit tests from the same pure pieces the panel uses (a Timeline with a fake clock,
// the candidate summary, the verdict rules), so a test report has the shape real ones have.

import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { levelOf } from "../../src/contract/levels";
import { SUPPORT_CHECK_IDS, type SupportCheck } from "../../src/engine/diagnose/support";
import { headline, measurementFindings } from "../../src/engine/diagnose/verdict";
import type { LatencyResult } from "../../src/engine/measure/latency";
import type { ThroughputResult } from "../../src/engine/measure/throughput";
import { summarizeCandidates } from "../../src/engine/watch/candidate-summary";
import { candidateDetail, describeCandidate } from "../../src/engine/watch/candidates";
import { Timeline } from "../../src/engine/watch/timeline";
import { REPORT_SCHEMA, type Report } from "../../src/report/report";

export const schema = JSON.parse(readFileSync("src/report/report.schema.json", "utf8"));

export function compileSchema() {
  return new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
}

/** A session's timeline as LoopbackSession records it, on a clock that advances 1 ms a call. */
export function sessionTimeline(candidateLines: string[], opened = true) {
  let now = 1000;
  const timeline = new Timeline(() => now++);
  timeline.reset();
  timeline.step("session", "connect", { timeoutMs: 10000 });
  for (const line of candidateLines) {
    timeline.step("localPeer", "candidate-gathered", candidateDetail(describeCandidate(line)));
  }
  timeline.step("localPeer", "gathering-finished", { candidates: candidateLines.length });
  if (opened) {
    timeline.state("localPeer", "iceConnectionState", "connected");
    timeline.state("localDtls", "state", "connected");
    timeline.state("localSctp", "state", "connected");
    timeline.state("sendChannel", "readyState", "open");
    timeline.state("receiveChannel", "readyState", "open");
  } else {
    timeline.step("session", "finding", {
      code: "no-candidates",
      message: "No ICE candidates were gathered",
    });
  }
  return timeline.list();
}

export function throughputResult(overrides: Partial<ThroughputResult> = {}): ThroughputResult {
  const bytes = 20 * 65536;
  return {
    settings: {
      messageSize: 65536,
      durationMs: 2000,
      totalBytes: null,
      ordered: true,
      maxRetransmits: null,
      maxPacketLifeTime: null,
      binary: true,
      highWaterMark: 1048576,
      lowWaterMark: 524288,
      maxMessageSize: 262144,
    },
    bytes,
    messages: 20,
    bytesSent: bytes,
    messagesSent: 20,
    durationMs: 250,
    bytesPerSecond: bytes / 0.25,
    messagesPerSecond: 80,
    lost: 0,
    outOfOrder: 0,
    corrupted: 0,
    duplicated: 0,
    inFlight: 0,
    cancelled: false,
    cancelReason: null,
    connectionLost: false,
    intervals: [{ t: 250, bytes, bytesPerSecond: bytes / 0.25 }],
    intervalsDropped: 0,
    peakBytesPerSecond: bytes / 0.25,
    ...overrides,
  } as ThroughputResult;
}

export function latencyResult(overrides: Partial<LatencyResult> = {}): LatencyResult {
  return {
    samples: 200,
    requestedSamples: 200,
    p50Ms: 0.3,
    p95Ms: 0.6,
    p99Ms: 0.9,
    maxMs: 1.4,
    minMs: 0.2,
    meanMs: 0.35,
    resolutionMs: 0.1,
    warmup: 3,
    cancelled: false,
    cancelReason: null,
    connectionLost: false,
    ...overrides,
  };
}

const HOSTS = [
  "candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host generation 0",
  "candidate:2 1 udp 2113939711 2001:db8::1 50001 typ host generation 0",
  "candidate:3 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active",
  "candidate:4 1 udp 2113937151 3f1c1f8e-2b7a-4a7e-9d5f-1c2b3a4d5e6f.local 50002 typ host generation 0",
];

export const allSupported = (): SupportCheck[] =>
  SUPPORT_CHECK_IDS.map((id) =>
    id === "binary-type"
      ? {
          id,
          status: "yes",
          detail: 'a new channel starts with binaryType "arraybuffer"',
          value: "arraybuffer",
        }
      : { id, status: "yes", detail: "worked" },
  );

/** A diagnosis report: a working browser unless told otherwise. */
export function diagnosisReport(
  options: {
    opened?: boolean;
    throughput?: ThroughputResult | null;
    latency?: LatencyResult | null;
    checks?: SupportCheck[];
    timeToOpenMs?: number;
  } = {},
): Report {
  const opened = options.opened ?? true;
  const timeline = sessionTimeline(opened ? HOSTS : [], opened);
  const throughput =
    options.throughput === undefined ? (opened ? throughputResult() : null) : options.throughput;
  const latency = options.latency === undefined ? (opened ? latencyResult() : null) : options.latency;
  const connection = opened ? { timeToOpenMs: options.timeToOpenMs ?? 40, maxMessageSize: 262144 } : null;
  const measurements = { connection, throughput, latency };
  const findings = [
    opened
      ? { level: "pass" as const, code: "channel-open" as const, message: "A data channel opened." }
      : {
          level: "fail" as const,
          code: "no-candidates" as const,
          message: "No ICE candidates were gathered.",
        },
    ...measurementFindings(measurements),
  ];
  const verdict = levelOf(findings);
  return {
    schema: REPORT_SCHEMA,
    kind: "diagnosis",
    createdAt: "2025-01-02T03:04:05.678Z",
    browser: {
      name: "Chromium",
      version: "156.0.8078.79",
      userAgent: "Mozilla/5.0 HeadlessChrome/156.0.0.0",
    },
    extensionVersion: "0.1.0",
    timeline,
    timelineDropped: 0,
    candidates: summarizeCandidates(timeline),
    timeToOpenMs: connection?.timeToOpenMs ?? null,
    sctp: opened ? { maxMessageSize: 262144, maxChannels: 65535 } : null,
    throughput,
    latency,
    findings,
    headline: headline(verdict, findings, measurements),
    support: { checks: options.checks ?? allSupported() },
    verdict,
    diagnosisMs: 3000,
  };
}
