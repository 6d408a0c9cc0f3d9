// The report of a dump alone (diagnose --dump): the same schema as any report, with `source: "dump"`,
// the dump's section, and the findings of every connection in it, each named by its connection. No
// loopback ran, so its sections stay empty; the browser named is the one that made the dump.
import type { Finding } from "../contract/findings";
import { levelOf } from "../contract/levels";
import type { OpenedDump } from "../engine/dump/dump-watch";
import { summarizeCandidates } from "../engine/watch/candidate-summary";
import { resolvedFigures } from "../format/figures";
import { identifyBrowser } from "./browser-identity";
import { dumpSection, EXTENSION_VERSION, REPORT_SCHEMA, type Report } from "./report";

export function dumpReport(opened: OpenedDump, now = new Date()): Report {
  const findings: Finding[] = opened.connections.flatMap((c) =>
    c.watched.findings.map((f) => ({ ...f, message: `Connection ${c.id} (${c.key}): ${f.message}` })),
  );
  const verdict = findings.length > 0 ? levelOf(findings) : null;
  return resolvedFigures({
    schema: REPORT_SCHEMA,
    kind: "session",
    source: "dump",
    createdAt: opened.source.createdAt ?? now.toISOString(),
    exportedAt: now.toISOString(),
    browser: identifyBrowser(opened.source.userAgent),
    extensionVersion: EXTENSION_VERSION,
    timeline: [],
    timelineDropped: 0,
    candidates: summarizeCandidates([]),
    timeToOpenMs: null,
    sctp: null,
    throughput: null,
    latency: null,
    findings,
    headline: dumpHeadline(opened, findings),
    support: null,
    verdict,
    iceCheck: null,
    page: null,
    dump: dumpSection(opened),
  });
}

/** The worst finding first, or what the dump held when nothing was found. */
function dumpHeadline(opened: OpenedDump, findings: readonly Finding[]): string {
  const n = opened.connections.length;
  if (n === 0) return `The dump ${opened.fileName} holds no peer connection.`;
  const level = levelOf(findings);
  const worst = findings.find((f) => f.level === level);
  if (!worst)
    return `Nothing in the dump's ${n === 1 ? "connection" : `${n} connections`} shows a problem the rules can name.`;
  return worst.message;
}
