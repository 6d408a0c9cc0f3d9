import { describe, expect, it } from "vitest";
import { distributionOf, percentile } from "../../../../src/engine/core/percentiles";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("picks the ceil(p·n)-th smallest sample", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3, 7, 9], 50)).toBe(7);
    expect(percentile([3, 7, 9], 1)).toBe(3);
    expect(percentile([3, 7, 9], 67)).toBe(9);
  });

  it("returns a measured value, never an interpolation", () => {
    expect(percentile([1, 10], 50)).toBe(1);
    expect(percentile([1, 10], 51)).toBe(10);
  });

  it("is NaN for no samples and refuses nonsense percentiles", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("distributionOf", () => {
  it("summarises unsorted samples without reordering them", () => {
    const samples = [5, 1, 4, 2, 3];
    const d = distributionOf(samples);
    expect(d).toEqual({ count: 5, min: 1, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it("sorts numerically, not as text", () => {
    expect(distributionOf([10, 9, 100]).p50).toBe(10);
  });

  it("has count 0 and NaN figures for no samples", () => {
    const d = distributionOf(new Float64Array(0));
    expect(d.count).toBe(0);
    expect(d.p50).toBeNaN();
    expect(d.max).toBeNaN();
  });
});
