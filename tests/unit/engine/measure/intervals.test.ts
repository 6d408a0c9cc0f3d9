import { describe, expect, it } from "vitest";
import { INTERVAL_MS, IntervalSeries, perSecond } from "../../../../src/engine/measure/intervals";

describe("perSecond", () => {
  it("divides by the elapsed seconds", () => {
    expect(perSecond(1_000_000, 1000)).toBe(1_000_000);
    expect(perSecond(5_000_000, 2500)).toBe(2_000_000);
    expect(perSecond(250, 250)).toBe(1000);
  });

  it("is 0, not Infinity or NaN, when no time has passed", () => {
    expect(perSecond(100, 0)).toBe(0);
    expect(perSecond(0, 0)).toBe(0);
  });
});

describe("IntervalSeries", () => {
  it("turns cumulative bytes into bytes per interval and rates over the actual interval length", () => {
    const series = new IntervalSeries();
    expect(series.sample(250, 250_000)).toEqual({ t: 250, bytes: 250_000, bytesPerSecond: 1_000_000 });
    // A late timer: 300 ms, not 250, so the rate is bytes ÷ 0.3 s.
    expect(series.sample(550, 850_000)).toEqual({ t: 550, bytes: 600_000, bytesPerSecond: 2_000_000 });
    expect(series.intervals).toHaveLength(2);
    expect(series.peakBytesPerSecond).toBe(2_000_000);
  });

  it("ignores a sample that closes no time", () => {
    const series = new IntervalSeries();
    series.sample(250, 10);
    expect(series.sample(250, 20)).toBeNull();
    expect(series.intervals).toHaveLength(1);
  });

  it("leaves short slivers out of the peak but keeps them in the series", () => {
    const series = new IntervalSeries();
    series.sample(INTERVAL_MS, 1000);
    series.sample(INTERVAL_MS + 10, 1000); // 100 kB/s over 10 ms would be a fake peak
    expect(series.intervals.at(-1)?.bytesPerSecond).toBe(0);
    series.sample(INTERVAL_MS + 20, 2000);
    expect(series.intervals.at(-1)?.bytesPerSecond).toBe(100_000);
    expect(series.peakBytesPerSecond).toBe(4000);
  });

  it("finish closes the partial last interval at the last byte", () => {
    const series = new IntervalSeries();
    series.sample(250, 1000);
    series.sample(500, 2000);
    series.finish(600, 2500);
    expect(series.intervals.map((i) => i.t)).toEqual([250, 500, 600]);
    expect(series.intervals.at(-1)).toEqual({ t: 600, bytes: 500, bytesPerSecond: 5000 });
  });

  it("finish drops the empty intervals spent waiting after the last byte", () => {
    const series = new IntervalSeries();
    series.sample(250, 1000);
    series.sample(500, 1500);
    series.sample(750, 1500);
    series.sample(1000, 1500);
    series.finish(400, 1500);
    expect(series.intervals.map((i) => i.t)).toEqual([250, 500]);
    expect(series.intervals.reduce((sum, i) => sum + i.bytes, 0)).toBe(1500);
  });

  it("keeps only the newest `limit` intervals and counts the dropped ones", () => {
    const series = new IntervalSeries(3);
    for (let i = 1; i <= 5; i++) series.sample(i * 250, i * 1000);
    expect(series.intervals.map((i) => i.t)).toEqual([750, 1000, 1250]);
    expect(series.dropped).toBe(2);
    expect(series.peakBytesPerSecond).toBe(4000);
  });
});
