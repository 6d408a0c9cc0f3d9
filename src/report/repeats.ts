// Several diagnoses in a row: each figure's median and spread, each run's verdict, and whether the
// runs agree. Results that change from run to run are a finding in themselves.
import type { FindingLevel } from "../contract/findings";
import { percentile } from "../engine/core/percentiles";
import { headlineRate } from "../engine/measure/throughput";
import type { Report } from "./report";

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Runs that measured it. */
  runs: number;
}

export interface RepeatSummary {
  runs: number;
  verdicts: (FindingLevel | null)[];
  /** False when the runs' verdicts or finding codes differ. */
  agree: boolean;
  disagreements: string[];
  timeToOpenMs: Spread | null;
  throughputBytesPerSecond: Spread | null;
  latencyP95Ms: Spread | null;
}

function spreadOf(values: (number | null | undefined)[]): Spread | null {
  const measured = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (measured.length === 0) return null;
  const sorted = [...measured].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
    runs: sorted.length,
  };
}

export function summarizeRepeats(reports: readonly Report[]): RepeatSummary {
  const verdicts = reports.map((r) => r.verdict);
  const codes = reports.map((r) =>
    r.findings
      .map((f) => `${f.level} ${f.code}`)
      .sort()
      .join(", "),
  );
  const disagreements: string[] = [];
  if (new Set(verdicts).size > 1) disagreements.push(`verdicts differ: ${verdicts.join(", ")}`);
  if (new Set(codes).size > 1)
    disagreements.push(`findings differ: ${codes.map((c, i) => `run ${i + 1}: ${c || "none"}`).join("; ")}`);
  return {
    runs: reports.length,
    verdicts,
    agree: disagreements.length === 0,
    disagreements,
    timeToOpenMs: spreadOf(reports.map((r) => r.timeToOpenMs)),
    throughputBytesPerSecond: spreadOf(
      reports.map((r) => (r.throughput ? headlineRate(r.throughput) : undefined)),
    ),
    latencyP95Ms: spreadOf(reports.map((r) => r.latency?.p95Ms)),
  };
}
