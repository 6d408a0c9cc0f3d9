import { describe, expect, it } from "vitest";
import type { ThroughputInterval } from "../../../../src/engine/measure/intervals";
import { findSteadyStart, steadyRate } from "../../../../src/engine/measure/steady-state";

/** Intervals of 250 ms from rates in MB/s. */
function series(ratesMB: number[]): ThroughputInterval[] {
  return ratesMB.map((r, i) => ({ t: (i + 1) * 250, bytes: (r * 1e6) / 4, bytesPerSecond: r * 1e6 }));
}
const KiB64 = 65536;

describe("steady state", () => {
  it("starts after a stalled ramp-up, not during the stall", () => {
    // Chromium's first connection, as measured: almost nothing for 2 s, then about 27 MB/s.
    const s = series([
      8.1, 0, 0, 0.3, 0.3, 3.7, 0, 5.5, 26.7, 28.5, 27.4, 27.8, 28.3, 24.3, 28.2, 24.1, 27.2,
    ]);
    expect(findSteadyStart(s, KiB64)).toBe(8);
    const rate = steadyRate(s, KiB64, 4250);
    expect(rate?.reached).toBe(true);
    expect(rate?.fromMs).toBe(2000);
    expect((rate?.bytesPerSecond ?? 0) / 1e6).toBeCloseTo(26.95, 1);
  });

  it("is not reached while the rate still climbs more than 10% a second", () => {
    const climbing = series(Array.from({ length: 24 }, (_, i) => 5 * 1.04 ** i));
    expect(findSteadyStart(climbing, KiB64)).toBeNull();
    const rate = steadyRate(climbing, KiB64, 6000);
    expect(rate?.reached).toBe(false);
    // Not steady: the rate of the second half, from its first arrival.
    expect(rate?.fromMs).toBe(3250);
  });

  it("does not call two windows with a stall in them steady", () => {
    const s = series([20, 20, 2, 20, 20, 20, 20, 20, 20, 20, 20, 20]);
    // The stalled interval (index 2) must fall out of both windows first.
    expect(findSteadyStart(s, KiB64)).toBe(3);
  });

  it("needs enough messages per window on a slow link, growing the windows", () => {
    // 1 Mbit/s with 256 KiB messages: one arrival every 2 s.
    const size = 256 * 1024;
    const s: ThroughputInterval[] = Array.from({ length: 72 }, (_, i) => {
      const bytes = (i + 1) % 8 === 0 ? size : 0;
      return { t: (i + 1) * 250, bytes, bytesPerSecond: bytes * 4 };
    });
    // Four messages per window take 8 s: within the 8 s cap it is not steady yet.
    expect(findSteadyStart(s.slice(0, 32), size)).toBeNull();
    const start = findSteadyStart(s, size);
    expect(start).not.toBeNull();
    const rate = steadyRate(s, size, 18_000);
    expect(rate?.reached).toBe(true);
    // Whole messages only: within one message of the true 128 kB/s.
    expect(Math.abs((rate?.bytesPerSecond ?? 0) - size / 2)).toBeLessThan(0.15 * (size / 2));
  });

  it("never steady on a slow link within the cap: whole messages, arrival to arrival, drain included", () => {
    // 1 Mbit/s with 256 KiB messages: one arrival every ~2.1 s; sending stopped at the 8 s cap and
    // the queue drained until 14 s. Fixed windows would read one message more or less.
    const size = 256 * 1024;
    const s: ThroughputInterval[] = Array.from({ length: 57 }, (_, i) => {
      const t = (i + 1) * 250;
      const bytes = t % 2000 === 0 && t > 0 ? size : 0;
      return { t, bytes, bytesPerSecond: bytes * 4 };
    });
    const rate = steadyRate(s, size, 8000);
    expect(rate?.reached).toBe(false);
    expect(rate?.bytesPerSecond).toBeCloseTo(size / 2, 5);
  });

  it("never steady with few messages: reaches back before the half until it holds four", () => {
    // 1 Mbit/s, as one Firefox run saw it: arrivals at 2, 4 and 6 s, a stall, then 11.7 s. The
    // second half (from 5.85 s) holds two arrivals, so one message over 5.7 s: 46 kB/s.
    const size = 256 * 1024;
    const arrivals = [2000, 4000, 6000, 11_750];
    const s: ThroughputInterval[] = Array.from({ length: 47 }, (_, i) => {
      const t = (i + 1) * 250;
      const bytes = arrivals.includes(t) ? size : 0;
      return { t, bytes, bytesPerSecond: bytes * 4 };
    });
    const rate = steadyRate(s, size, 8000);
    expect(rate?.reached).toBe(false);
    // All four: three messages after the first arrival, over 9.75 s.
    expect(rate?.fromMs).toBe(2000);
    expect(rate?.bytesPerSecond).toBeCloseTo((3 * size) / 9.75, 5);
  });

  it("leaves out what arrived after sending stopped", () => {
    const s = series([20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 60]);
    expect((steadyRate(s, KiB64, 2500)?.bytesPerSecond ?? 0) / 1e6).toBeCloseTo(20, 5);
  });

  it("is null when nothing arrived", () => {
    expect(steadyRate(series([0, 0, 0, 0]), KiB64, 1000)).toBeNull();
    expect(steadyRate([], KiB64, 1000)).toBeNull();
  });
});
