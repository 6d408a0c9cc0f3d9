// The command line's words for what comes on top of one report: the spread over repeated runs, and
// the comparison with a baseline report.
import { counted, milliseconds, rate } from "../format/units";
import type { BaselineResult } from "../report/baseline";
import type { RepeatSummary, Spread } from "../report/repeats";
import type { Report } from "../report/report";

function spread(name: string, s: Spread | null, show: (v: number) => string): string {
  if (!s) return `  ${name.padEnd(18)} not measured\n`;
  return `  ${name.padEnd(18)} median ${show(s.median)}, from ${show(s.min)} to ${show(s.max)} over ${counted(s.runs, "run")}\n`;
}

export function repeatText(summary: RepeatSummary): string {
  let text = `\nRepeated ${summary.runs} times\n`;
  text += `  ${"Verdicts".padEnd(18)} ${summary.verdicts.map((v) => v ?? "none").join(", ")}\n`;
  text += spread("Time to open", summary.timeToOpenMs, milliseconds);
  text += spread("Throughput", summary.throughputBytesPerSecond, rate);
  text += spread("p95 round trip", summary.latencyP95Ms, milliseconds);
  text += summary.agree
    ? "  The runs agree.\n"
    : `  The runs disagree: ${summary.disagreements.join("; ")}.\n`;
  return text;
}

export function baselineText(result: BaselineResult, baseline: Report): string {
  let text = `\nBaseline: ${baseline.browser.name} ${baseline.browser.version}, made ${baseline.createdAt}\n`;
  for (const row of result.differences)
    text += `  ${`${row.section}: ${row.label}`.padEnd(40)} ${row.right} → ${row.left}\n`;
  if (result.differences.length === 0) text += "  No point differs.\n";
  text +=
    result.regressions.length === 0
      ? "  Nothing got worse beyond tolerance.\n"
      : result.regressions.map((r) => `  WORSE: ${r}\n`).join("");
  return text;
}
