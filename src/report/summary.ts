// The report in words: Markdown for "Copy summary" (pasted into bug reports) and plain text for the
// command line. Both come from one list of sections so they never disagree.

import { LEVEL_TAGS } from "../contract/levels";
import { SUPPORT_CHECK_NAMES } from "../engine/diagnose/support";
import { slowPathWords } from "../engine/diagnose/verdict";
import { describeCandidateSummary } from "../engine/watch/candidate-summary";
import { howSteady } from "../format/steady-rate";
import { bytes, count, counted, milliseconds, rate } from "../format/units";
import { dumpSections } from "./dump-sections";
import { keyMoments } from "./key-moments";
import { capNotes } from "./page-caps";
import type { Report } from "./report";

import type { Section } from "./summary-section";

function verdictLine(report: Report): string {
  const word = report.verdict ? LEVEL_TAGS[report.verdict] : "NOT RUN";
  const stop = report.diagnosisStopped;
  const where = stop ? `stopped at step ${stop.index} of ${stop.total} (${stop.stepName}) at ${stop.at}` : "";
  const stopped = !stop
    ? ""
    : report.kind === "diagnosis"
      ? ` (A later diagnosis was ${where}; this verdict is from the one before it.)`
      : ` (The diagnosis was ${where}; no verdict.)`;
  return `Verdict: ${word} — ${report.headline}${stopped}`;
}

function sections(report: Report): Section[] {
  const out: Section[] = [];
  out.push({
    key: "findings",
    title: "Findings",
    rows: report.findings.map((f) => [
      `${LEVEL_TAGS[f.level]} ${f.code}`,
      f.hint ? `${f.message} Try: ${f.hint}` : f.message,
    ]),
  });
  // A dump's report holds no loopback of this browser: only what the dump says.
  if (report.source === "dump") return report.dump ? [...out, ...dumpSections(report.dump)] : out;
  const t = report.throughput;
  const l = report.latency;
  out.push({
    key: "measurements",
    title: "Measurements",
    rows: [
      [
        "Throughput",
        t
          ? `${sustainedText(t)}${counted(t.messages, "message")} (${bytes(t.bytes)}) in ${milliseconds(t.durationMs)}; ${t.lost} lost, ${t.outOfOrder} out of order, ${t.corrupted} corrupted${t.cancelled ? "; cancelled" : ""} (MB = 10^6 bytes)`
          : "not measured",
      ],
      [
        "Latency",
        l
          ? `p50 ${milliseconds(l.p50Ms)}, p95 ${milliseconds(l.p95Ms)}, p99 ${milliseconds(l.p99Ms)}, max ${milliseconds(l.maxMs)} over ${counted(l.samples, "round trip")} (clock resolution ${l.resolutionMs} ms)`
          : "not measured",
      ],
      ["Time to open", report.timeToOpenMs === null ? "did not open" : milliseconds(report.timeToOpenMs)],
      [
        "SCTP",
        report.sctp
          ? `maxMessageSize ${count(report.sctp.maxMessageSize)} bytes, maxChannels ${report.sctp.maxChannels ?? "not exposed"}`
          : "no SCTP association",
      ],
      ["Candidates", describeCandidateSummary(report.candidates)],
      ...launchRows(report.launchedWith),
    ],
  });
  const work = yourWork(report);
  if (work) out.push(work);
  if (report.support) {
    out.push({
      key: "support",
      title: "Support (tried, not guessed)",
      rows: report.support.checks.map((c) => [
        SUPPORT_CHECK_NAMES[c.id],
        `${c.status === "not-checked" ? "not checked" : c.status}: ${c.detail}`,
      ]),
    });
  }
  const ice = report.iceCheck;
  if (ice) {
    out.push({
      key: "ice",
      title: `ICE servers: ${LEVEL_TAGS[ice.level]} — ${ice.headline}`,
      rows: ice.results.map((r) => [
        `${r.url} ${r.transport.toUpperCase()}`,
        `${LEVEL_TAGS[r.level]}: ${r.candidateTypes.join(", ") || "no candidates"}; ${r.findings.map((f) => f.code).join(", ")}${r.errors.length ? `; errors ${r.errors.map((e) => e.errorCode).join(", ")}` : ""}`,
      ]),
    });
  }
  if (report.page) out.push(...pageSections(report.page));
  if (report.dump) out.push(...dumpSections(report.dump));
  const moments = keyMoments(report.timeline);
  out.push({
    key: "timeline",
    title: "Timeline: key moments (ms since Connect)",
    rows: moments.length > 0 ? moments.map((m) => [m.t.toFixed(1), m.text]) : [["", "no session ran"]],
  });
  return out;
}

/** The inspected page's connections, and what the recorder's caps left out. */
function pageSections(page: NonNullable<Report["page"]>): Section[] {
  const out: Section[] = [
    {
      key: "page",
      title: `Page connections (${page.origin}, recorded from ${page.startedAt ?? "the reload"})`,
      rows:
        page.connections.length > 0
          ? page.connections.flatMap((c) =>
              c.channels.map((ch): [string, string] => [
                `connection ${c.id} "${ch.label}" (${ch.side})`,
                `${ch.readyState}; sent ${count(ch.messagesSent)} (${bytes(ch.bytesSent)}), received ${count(ch.messagesReceived)} (${bytes(ch.bytesReceived)}); ${c.findings.map((f) => `${LEVEL_TAGS[f.level]} ${f.code}`).join(", ") || "no findings"}`,
              ]),
            )
          : [["", "no connections were made since the reload"]],
    },
  ];
  const caps = capNotes({
    untrackedConnections: page.untrackedConnections ?? 0,
    notShownConnections: page.notShownConnections,
    connections: page.connections,
    droppedEntries: page.connections.reduce((sum, c) => sum + (c.timelineDropped ?? 0), 0),
  });
  if (caps.length > 0)
    out.push({
      key: "not-tracked",
      title: "Not tracked",
      rows: caps.map((note): [string, string] => ["", note]),
    });
  return out;
}

/** Beside a diagnosis, the person's own session and runs (a session report shows its runs above). */
function yourWork(report: Report): Section | null {
  const work = report.work;
  if (report.kind !== "diagnosis" || !work || !(work.session || work.throughput || work.latency)) return null;
  const rows: [string, string][] = [];
  if (work.session)
    rows.push([
      "Session",
      `from ${work.session.startedAt ?? "—"}: sent ${counted(work.session.sent.messages, "message")} (${bytes(work.session.sent.bytes)}), received ${counted(work.session.received.messages, "message")} (${bytes(work.session.received.bytes)})`,
    ]);
  if (work.throughput)
    rows.push(["Throughput", `${sustainedText(work.throughput)}ended ${work.throughput.endedAt ?? "—"}`]);
  if (work.latency)
    rows.push([
      "Latency",
      `p50 ${milliseconds(work.latency.p50Ms)}, p95 ${milliseconds(work.latency.p95Ms)} over ${counted(work.latency.samples, "round trip")}, ended ${work.latency.endedAt ?? "—"}`,
    ]);
  return { key: "work", title: "Your session and runs", rows };
}

function title(report: Report): string {
  if (report.source === "dump")
    return `WebRTC Loopback Lab report of a dump (${report.dump?.fileName ?? "no file"}) made by ${report.browser.name} ${report.browser.version}; read by extension ${report.extensionVersion}, ${report.createdAt}`;
  return `WebRTC Loopback Lab report: ${report.browser.name} ${report.browser.version}, extension ${report.extensionVersion}, ${report.createdAt}`;
}

/** Markdown for a bug report: headings, a findings list and tables. */
export function markdownSummary(report: Report): string {
  const lines = [`### ${title(report)}`, "", `**${verdictLine(report)}**`, ""];
  for (const section of sections(report)) {
    lines.push(`#### ${section.title}`, "");
    if (section.rows.length === 0) lines.push("(none)", "");
    else if (section.title === "Findings") {
      for (const [label, value] of section.rows) lines.push(`- **${label}**: ${escapeMarkdown(value)}`);
      lines.push("");
    } else {
      lines.push("| | |", "|---|---|");
      for (const [label, value] of section.rows)
        lines.push(`| ${escapeCell(label)} | ${escapeCell(value)} |`);
      lines.push("");
    }
  }
  lines.push(
    `<sub>User agent: ${escapeMarkdown(report.browser.userAgent)} · report format ${report.schema}</sub>`,
  );
  return `${lines.join("\n")}\n`;
}

/** A block of terminal text: the title and verdict ("head"), a section by its key, or what the CLI adds. */
export interface TextBlock {
  key: string;
  lines: string[];
}

/** The summary for a terminal as blocks: aligned labels, wrapped to `width` columns. */
export function textBlocks(report: Report, width = 100): TextBlock[] {
  const blocks: TextBlock[] = [
    { key: "head", lines: [...wrap(title(report), width), ...wrap(verdictLine(report), width)] },
  ];
  for (const section of sections(report))
    blocks.push({ key: section.key, lines: sectionLines(section, width) });
  return blocks;
}

/** Plain text for a terminal: aligned labels, wrapped to `width` columns. */
export function textSummary(report: Report, width = 100): string {
  return blocksText(textBlocks(report, width));
}

/** Blocks as text, a blank line between them. */
export function blocksText(blocks: readonly TextBlock[]): string {
  return `${blocks.map((block) => block.lines.join("\n")).join("\n\n")}\n`;
}

function sectionLines(section: Section, width: number): string[] {
  const lines = [section.title];
  if (section.rows.length === 0) lines.push("  (none)");
  const labelWidth = Math.min(40, Math.max(0, ...section.rows.map(([label]) => label.length)));
  for (const [label, value] of section.rows) {
    const prefix = `  ${label.padEnd(labelWidth)}  `;
    if (width - prefix.length < 30) {
      // Too narrow for a label column: the label on its own line, the value indented below.
      lines.push(...wrap(`  ${label}`, width), ...wrap(value, width - 6).map((w) => `      ${w}`));
      continue;
    }
    const wrapped = wrap(value, width - prefix.length);
    lines.push(
      `${prefix}${wrapped[0] ?? ""}`,
      ...wrapped.slice(1).map((w) => `${" ".repeat(prefix.length)}${w}`),
    );
  }
  return lines;
}

/**
 * Several summaries in columns (the command line's --browser all), block beside block: blocks are
 * matched across columns by key, and each is padded to the tallest, so "Findings" starts on the same
 * row in every column.
 */
export function sideBySide(columns: readonly (readonly TextBlock[])[], columnWidth: number): string {
  const keys: string[] = [];
  for (const column of columns)
    for (const block of column) if (!keys.includes(block.key)) keys.push(block.key);
  const rows: string[] = [];
  keys.forEach((key, i) => {
    const blocks = columns.map((column) =>
      (column.find((block) => block.key === key)?.lines ?? []).flatMap((line) =>
        wrap(line, columnWidth, true),
      ),
    );
    const height = Math.max(...blocks.map((b) => b.length));
    if (i > 0) rows.push("");
    for (let line = 0; line < height; line++)
      rows.push(
        blocks
          .map((b) => (b[line] ?? "").padEnd(columnWidth))
          .join(" │ ")
          // Columns that ended leave no separators dangling at the end of a row.
          .replace(/[\s│]+$/, ""),
      );
  });
  return `${rows.join("\n")}\n`;
}

function wrap(text: string, width: number, keepIndent = false): string[] {
  if (text.length <= width) return [text];
  const indent = keepIndent ? (/^\s*/.exec(text)?.[0] ?? "") : "";
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim().length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    // A single word longer than the width is cut rather than left to overflow its column.
    let rest = word;
    while (rest.length > width - indent.length) {
      if (line.trim().length > 0) lines.push(line);
      lines.push(indent + rest.slice(0, width - indent.length));
      rest = rest.slice(width - indent.length);
      line = indent;
    }
    line = line.trim().length > 0 ? `${line} ${rest}` : `${indent}${rest}`;
  }
  if (line.trim().length > 0) lines.push(line);
  return lines;
}

/** Report text is the browser's and the user's: keep it from turning into Markdown markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

function escapeCell(text: string): string {
  return escapeMarkdown(text).replace(/\n/g, " ");
}

/** "25.1 MB/s sustained (steady after 500 ms of ramp-up, 256 KiB messages; 22.0 MB/s over the whole run), ", or the plain rate for a run without one. */
function sustainedText(t: NonNullable<Report["throughput"]>): string {
  const s = t.steady;
  const slowPath = slowPathWords(t);
  if (slowPath) return `${slowPath}, `;
  if (!s) return `${rate(t.bytesPerSecond)}, `;
  return `${rate(s.bytesPerSecond)} sustained (${howSteady(s, t.settings?.messageSize)}; ${rate(t.bytesPerSecond)} over the whole run), `;
}

/** How diagnose started the browser, where it differs from a user's. */
function launchRows(launched: Report["launchedWith"]): [string, string][] {
  const rows: [string, string][] = [];
  if (launched?.allowLoopback)
    rows.push([
      "Browser",
      "started with loopback candidates allowed (--allow-loopback): not what users' browsers do",
    ]);
  if (launched?.browserArgs?.length) rows.push(["Browser arguments", launched.browserArgs.join(" ")]);
  const prefs = Object.entries(launched?.firefoxPrefs ?? {});
  if (prefs.length > 0)
    rows.push(["Firefox preferences", prefs.map(([name, value]) => `${name}=${value}`).join(", ")]);
  return rows;
}
