// The CI gate against a saved report: worse verdicts, new findings and figures past tolerance count;
// what stays within tolerance does not.
import { describe, expect, it } from "vitest";
import { againstBaseline } from "../../../src/report/baseline";
import { diagnosisReport, latencyResult, throughputResult } from "../report-fixture";

describe("againstBaseline", () => {
  it("finds nothing worse when the run matches its baseline", () => {
    const report = diagnosisReport();
    expect(againstBaseline(report, report).regressions).toEqual([]);
  });

  it("counts a throughput drop past the tolerance, and lets a smaller one through", () => {
    const baseline = diagnosisReport({ throughput: throughputResult({ bytesPerSecond: 10_000_000 }) });
    const slower = diagnosisReport({ throughput: throughputResult({ bytesPerSecond: 6_000_000 }) });
    const result = againstBaseline(slower, baseline);
    expect(result.regressions).toEqual(["Throughput dropped 40%: 10.0 MB/s → 6.00 MB/s (tolerance 30%)."]);
    expect(result.differences.map((d) => d.label)).toContain("Sustained rate (MB = 10^6 bytes)");
    expect(
      againstBaseline(slower, baseline, { maxDropPercent: 50, maxLatencyFactor: 2 }).regressions,
    ).toEqual([]);
  });

  it("counts a p95 round trip grown past its factor", () => {
    const baseline = diagnosisReport({ latency: latencyResult({ p95Ms: 1 }) });
    const slower = diagnosisReport({ latency: latencyResult({ p95Ms: 3 }) });
    expect(againstBaseline(slower, baseline).regressions).toEqual([
      "The p95 round trip grew 3.0×: 1.00 ms → 3.00 ms (tolerance 2×).",
    ]);
  });

  it("counts a worse verdict and each new warning or failure", () => {
    const baseline = diagnosisReport();
    const failing = diagnosisReport({ opened: false });
    const { regressions } = againstBaseline(failing, baseline);
    expect(regressions[0]).toBe("The verdict got worse: pass → fail.");
    expect(regressions.some((r) => r.startsWith("New fail finding no-candidates"))).toBe(true);
    // Getting better is no regression.
    expect(againstBaseline(baseline, failing).regressions).toEqual([]);
  });
});
