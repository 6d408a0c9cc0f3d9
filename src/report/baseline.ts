// A CI gate against a saved report: what got worse since the baseline, judged by documented
// tolerances. The points compared are the panel's comparison (compare.ts); this adds the verdict.

import { isWorse } from "../contract/levels";
import { headlineRate } from "../engine/measure/throughput";
import { milliseconds, rate } from "../format/units";
import { type ComparisonRow, compareReports } from "./compare";
import type { Report } from "./report";

export interface Tolerances {
  /** Throughput may drop by this many percent of the baseline before it counts as worse. Default 30. */
  maxDropPercent: number;
  /** The p95 round trip may grow to this many times the baseline's. Default 2. */
  maxLatencyFactor: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { maxDropPercent: 30, maxLatencyFactor: 2 };

export interface BaselineResult {
  /** Every point that differs, as the panel's comparison shows it. */
  differences: ComparisonRow[];
  /** What got worse beyond tolerance, in words; empty when the run holds up. */
  regressions: string[];
}

export function againstBaseline(
  current: Report,
  baseline: Report,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): BaselineResult {
  const regressions: string[] = [];
  if (isWorse(current.verdict ?? "pass", baseline.verdict ?? "pass"))
    regressions.push(`The verdict got worse: ${baseline.verdict ?? "none"} → ${current.verdict}.`);
  const before = new Map(baseline.findings.map((f) => [f.code, f.level]));
  for (const finding of current.findings) {
    const was = before.get(finding.code);
    if (finding.level !== "pass" && (was === undefined || isWorse(finding.level, was)))
      regressions.push(`New ${finding.level} finding ${finding.code}: ${finding.message}`);
  }
  const sustained = (r: Report) => (r.throughput ? headlineRate(r.throughput) : undefined);
  const [now, then] = [sustained(current), sustained(baseline)];
  if (now !== undefined && then !== undefined && then > 0) {
    const drop = ((then - now) / then) * 100;
    if (drop > tolerances.maxDropPercent)
      regressions.push(
        `Throughput dropped ${drop.toFixed(0)}%: ${rate(then)} → ${rate(now)} (tolerance ${tolerances.maxDropPercent}%).`,
      );
  }
  const [p95, p95Then] = [current.latency?.p95Ms, baseline.latency?.p95Ms];
  if (
    p95 !== undefined &&
    p95Then !== undefined &&
    p95Then > 0 &&
    p95 > p95Then * tolerances.maxLatencyFactor
  )
    regressions.push(
      `The p95 round trip grew ${(p95 / p95Then).toFixed(1)}×: ${milliseconds(p95Then)} → ${milliseconds(p95)} (tolerance ${tolerances.maxLatencyFactor}×).`,
    );
  const differences = compareReports(current, baseline).filter((row) => row.differs);
  return { differences, regressions };
}
