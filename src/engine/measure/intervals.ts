// The per-interval throughput series (one point every 250 ms) and the per-second arithmetic it
// rests on. Rates are always amount ÷ the time actually elapsed, never the nominal interval:
// timers fire late, and a late tick must not read as a burst.

export const INTERVAL_MS = 250;
/** A run keeps this many intervals (20 minutes' worth) and drops the oldest beyond, so memory stays flat. */
const INTERVAL_LIMIT = 4800;

/** Amount per second over durationMs milliseconds; 0 when no time has passed, not Infinity. */
export function perSecond(amount: number, durationMs: number): number {
  return durationMs > 0 ? (amount * 1000) / durationMs : 0;
}

export interface ThroughputInterval {
  /** End of the interval, in ms since the first send. */
  t: number;
  /** Bytes delivered intact during the interval. */
  bytes: number;
  bytesPerSecond: number;
}

export class IntervalSeries {
  private items: ThroughputInterval[] = [];
  private droppedCount = 0;
  private lastT = 0;
  private lastBytes = 0;
  private peakRate = 0;

  constructor(private readonly limit = INTERVAL_LIMIT) {}

  /** Closes the interval ending at t (ms since the first send) with totalBytes delivered so far. */
  sample(t: number, totalBytes: number): ThroughputInterval | null {
    const length = t - this.lastT;
    if (!(length > 0)) return null;
    const bytes = totalBytes - this.lastBytes;
    const interval: ThroughputInterval = { t, bytes, bytesPerSecond: perSecond(bytes, length) };
    // A sliver (the last, partial interval) gives a noisy rate; the peak counts only intervals of at least half the nominal length.
    if (length >= INTERVAL_MS / 2 && interval.bytesPerSecond > this.peakRate)
      this.peakRate = interval.bytesPerSecond;
    this.lastT = t;
    this.lastBytes = totalBytes;
    this.items.push(interval);
    if (this.items.length > this.limit) {
      this.items.shift();
      this.droppedCount++;
    }
    return interval;
  }

  /**
   * Ends the series at the last byte received (t ms after the first send): drops the empty
   * intervals that only waiting for stragglers added after it, and closes the partial last one.
   */
  finish(t: number, totalBytes: number): void {
    while (this.items.length > 0) {
      const last = this.items[this.items.length - 1] as ThroughputInterval;
      const previousEnd =
        this.items.length > 1 ? (this.items[this.items.length - 2] as ThroughputInterval).t : 0;
      if (last.bytes !== 0 || previousEnd < t) break;
      this.items.pop();
      this.lastT = previousEnd;
    }
    if (totalBytes > this.lastBytes || t > this.lastT) this.sample(Math.max(t, this.lastT), totalBytes);
  }

  get intervals(): ThroughputInterval[] {
    return this.items.slice();
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** The highest rate of any interval at least half the nominal length; 0 before there is one. */
  get peakBytesPerSecond(): number {
    return this.peakRate;
  }
}
