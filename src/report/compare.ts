// Two reports point by point (this browser against a saved one, or two machines): the rows the
// panel's comparison table shows. Pure, so it is unit-tested; values are text, shown as text.
import { SUPPORT_CHECK_IDS, SUPPORT_CHECK_NAMES } from "../engine/diagnose/support";
import { headlineRate } from "../engine/measure/throughput";
import { count, milliseconds, rate } from "../format/units";
import type { Report } from "./report";
import { supportValue } from "./support-value";

export interface ComparisonRow {
  section: string;
  label: string;
  left: string;
  right: string;
  differs: boolean;
}

type Point = [section: string, label: string, read: (r: Report) => string];

const orNa = <T>(value: T | null | undefined, show: (v: T) => string) =>
  value === null || value === undefined ? "n/a" : show(value);

const POINTS: Point[] = [
  ["Overview", "Verdict", (r) => r.verdict ?? "not run"],
  ["Overview", "Browser", (r) => `${r.browser.name} ${r.browser.version}`],
  ["Overview", "Extension version", (r) => r.extensionVersion],
  ["Overview", "Report made", (r) => r.createdAt],
  ["Overview", "Kind", (r) => r.kind],
  ...SUPPORT_CHECK_IDS.map(
    (id): Point => [
      "Support",
      SUPPORT_CHECK_NAMES[id],
      (r) => supportValue(r.support?.checks.find((c) => c.id === id)),
    ],
  ),
  [
    "Connection",
    "Time to open",
    (r) => (r.timeToOpenMs === null ? "did not open" : milliseconds(r.timeToOpenMs)),
  ],
  ["Connection", "maxMessageSize (bytes)", (r) => orNa(r.sctp, (s) => count(s.maxMessageSize))],
  ["Connection", "maxChannels", (r) => orNa(r.sctp, (s) => orNa(s.maxChannels, count))],
  ["Candidates", "Total", (r) => count(r.candidates.total)],
  ["Candidates", "Host", (r) => count(r.candidates.host)],
  ["Candidates", "mDNS-obfuscated", (r) => count(r.candidates.mdns)],
  ["Candidates", "IPv4 / IPv6", (r) => `${r.candidates.ipv4} / ${r.candidates.ipv6}`],
  ["Candidates", "UDP / TCP", (r) => `${r.candidates.udp} / ${r.candidates.tcp}`],
  [
    "Candidates",
    "Server-reflexive / relay",
    (r) => `${r.candidates.serverReflexive} / ${r.candidates.relay}`,
  ],
  ["Throughput", "Sustained rate (MB = 10^6 bytes)", (r) => orNa(r.throughput, (t) => rate(headlineRate(t)))],
  [
    "Throughput",
    "Ramp-up",
    (r) => orNa(r.throughput, (t) => (t.steady ? milliseconds(t.steady.fromMs) : "n/a")),
  ],
  ["Throughput", "Messages per second", (r) => orNa(r.throughput, (t) => count(t.messagesPerSecond))],
  ["Throughput", "Messages delivered", (r) => orNa(r.throughput, (t) => count(t.messages))],
  ["Throughput", "Duration", (r) => orNa(r.throughput, (t) => milliseconds(t.durationMs))],
  [
    "Throughput",
    "Lost / out of order / corrupted",
    (r) => orNa(r.throughput, (t) => `${t.lost} / ${t.outOfOrder} / ${t.corrupted}`),
  ],
  ["Latency", "p50", (r) => orNa(r.latency, (l) => milliseconds(l.p50Ms))],
  ["Latency", "p95", (r) => orNa(r.latency, (l) => milliseconds(l.p95Ms))],
  ["Latency", "p99", (r) => orNa(r.latency, (l) => milliseconds(l.p99Ms))],
  ["Latency", "max", (r) => orNa(r.latency, (l) => milliseconds(l.maxMs))],
  ["Findings", "Codes", (r) => r.findings.map((f) => `${f.level} ${f.code}`).join(", ") || "none"],
];

export function compareReports(left: Report, right: Report): ComparisonRow[] {
  return [...POINTS, ...icePoints(left, right)].map(([section, label, read]) => {
    const a = read(left);
    const b = read(right);
    return { section, label, left: a, right: b, differs: a !== b };
  });
}

/** One row per ICE-server target in either report (server URL and transport), then the check's level. */
function icePoints(left: Report, right: Report): Point[] {
  if (!left.iceCheck && !right.iceCheck) return [];
  const key = (r: { url: string; transport: string }) => `${r.url} ${r.transport.toUpperCase()}`;
  const keys = [...new Set([...(left.iceCheck?.results ?? []), ...(right.iceCheck?.results ?? [])].map(key))];
  return [
    ["ICE servers", "Level", (r) => r.iceCheck?.level ?? "not checked"],
    ...keys.map(
      (k): Point => [
        "ICE servers",
        k,
        (r) => {
          const target = r.iceCheck?.results.find((t) => key(t) === k);
          if (!target) return "not checked";
          const figures = target.throughput ? `, ${rate(target.throughput.bytesPerSecond)}` : "";
          return `${target.level}: ${target.candidateTypes.join(", ") || "no candidates"}${figures}`;
        },
      ],
    ),
  ];
}
