// Several runs in a row: medians and spreads, and whether the runs agree.
import { describe, expect, it } from "vitest";
import { summarizeRepeats } from "../../../src/report/repeats";
import { diagnosisReport, throughputResult } from "../report-fixture";

describe("summarizeRepeats", () => {
  it("gives each figure's median and range over the runs", () => {
    const runs = [4, 8, 6].map((mb) =>
      diagnosisReport({ throughput: throughputResult({ bytesPerSecond: mb * 1e6 }) }),
    );
    const summary = summarizeRepeats(runs);
    expect(summary.runs).toBe(3);
    expect(summary.throughputBytesPerSecond).toEqual({ median: 6e6, min: 4e6, max: 8e6, runs: 3 });
    expect(summary.agree).toBe(true);
  });

  it("says when the runs disagree, and how", () => {
    const summary = summarizeRepeats([diagnosisReport(), diagnosisReport({ opened: false })]);
    expect(summary.agree).toBe(false);
    expect(summary.verdicts).toEqual(["pass", "fail"]);
    expect(summary.disagreements[0]).toBe("verdicts differ: pass, fail");
    // A run that measured nothing does not count towards the spread.
    expect(summary.throughputBytesPerSecond?.runs).toBe(1);
  });
});
