// When a throughput run has reached its sustained rate. A fresh connection starts slow (on loopback
// Chrome moved almost nothing for up to 2 s, Firefox ramps over a second or more), so the average of
// a short run understates what the browser does. Two back-to-back windows that agree, with no
// interval in them that stalled, mark the steady state; the rate from there on is the headline.
import { perSecond, type ThroughputInterval } from "./intervals";

/** Two windows of at least this many 250 ms intervals each (1 s). */
const STEADY_WINDOW_INTERVALS = 4;
/** ...whose rates differ by at most this fraction of the larger... */
const STEADY_TOLERANCE = 0.1;
/** ...with no interval in them under this fraction of their mean (a stall is not steady)... */
const STEADY_FLOOR = 0.4;
/** ...and at least this many messages in each window, so a slow link is not judged on one or two arrivals. */
const STEADY_MIN_MESSAGES = 4;

export interface SteadyRate {
  /** Bytes per second delivered from `fromMs` to `toMs`. */
  bytesPerSecond: number;
  /** Start of the steady period, in ms since the first send: the ramp-up took this long. */
  fromMs: number;
  /** End of the period the rate was measured over. */
  toMs: number;
  /**
   * False when the run ended (or hit its cap) before two windows agreed: then the rate is that of
   * the run's second half (or more, to hold STEADY_MIN_MESSAGES messages), drain included, from
   * its first arrival to its last.
   */
  reached: boolean;
}

/** Windows grow to hold enough messages on a slow link, up to this many intervals (10 s) each. */
const LONGEST_WINDOW_INTERVALS = 40;

/**
 * The index of the interval where the steady state begins, or null if it has not yet.
 * `messageSize` sets how many bytes a window must hold (STEADY_MIN_MESSAGES messages).
 */
export function findSteadyStart(
  intervals: readonly ThroughputInterval[],
  messageSize: number,
): number | null {
  const minBytes = STEADY_MIN_MESSAGES * messageSize;
  const series = new Prefix(intervals);
  for (let end = 2 * STEADY_WINDOW_INTERVALS; end <= intervals.length; end++) {
    // The shortest pair of windows ending at `end` that holds enough messages; longer on slow links.
    for (let w = STEADY_WINDOW_INTERVALS; 2 * w <= end && w <= LONGEST_WINDOW_INTERVALS; w++) {
      const a = series.window(end - 2 * w, end - w);
      const b = series.window(end - w, end);
      if (a.bytes < minBytes || b.bytes < minBytes) continue;
      // Per-interval stalls are judged only on 1 s windows: on a slow link most intervals see no arrival at all.
      const steady =
        agree(a.rate, b.rate) &&
        (w > STEADY_WINDOW_INTERVALS || noStall(intervals, end - 2 * w, end, (a.rate + b.rate) / 2));
      if (steady) return end - 2 * w;
      break;
    }
  }
  return null;
}

/** Where the steady state begins, in ms since the first send, or null if it has not yet. */
export function steadyStartMs(intervals: readonly ThroughputInterval[], messageSize: number): number | null {
  const start = findSteadyStart(intervals, messageSize);
  return start === null ? null : new Prefix(intervals).endMs(start);
}

/** The sustained rate of a run that stopped sending `sendingEndedMs` after its first send; null when it delivered nothing. */
export function steadyRate(
  intervals: readonly ThroughputInterval[],
  messageSize: number,
  sendingEndedMs: number,
): SteadyRate | null {
  // Only what arrived while sending went on: the drain after it is the queue emptying, not a rate.
  let count = 0;
  while (count < intervals.length && (intervals[count] as ThroughputInterval).t <= sendingEndedMs + 1)
    count++;
  const sending = intervals.slice(0, count);
  if (sending.length === 0) return null;
  const series = new Prefix(sending);
  const start = findSteadyStart(sending, messageSize);
  if (start === null) return unsettledRate(intervals, messageSize);
  const measured = series.window(start, sending.length);
  if (measured.bytes === 0) return null;
  return {
    bytesPerSecond: measured.rate,
    fromMs: measured.fromMs,
    toMs: series.endMs(sending.length),
    reached: true,
  };
}

/**
 * A rate that never settled: the second half of the run, drain included (a full queue drains at the
 * path's rate), timed from one arrival to another. On a slow link a 256 KiB message arrives every few
 * seconds, so fixed windows would count one message more or less; arrival to arrival counts whole
 * messages over the time they took, reaching back before the half for STEADY_MIN_MESSAGES of them
 * (two or three arrivals made a 1 Mbit/s link read anywhere from 92 to 119 kB/s).
 */
function unsettledRate(intervals: readonly ThroughputInterval[], messageSize: number): SteadyRate | null {
  const series = new Prefix(intervals);
  const minBytes = STEADY_MIN_MESSAGES * messageSize;
  let from = series.firstStartingAtOrAfter(series.endMs(intervals.length) / 2);
  let measured = arrivalToArrival(intervals, from);
  while (from > 0 && (measured?.bytes ?? 0) < minBytes) {
    from--;
    measured = arrivalToArrival(intervals, from) ?? measured;
  }
  if (measured)
    return {
      bytesPerSecond: measured.bytesPerSecond,
      fromMs: measured.fromMs,
      toMs: measured.toMs,
      reached: false,
    };
  // A single arrival: all there is, over the whole run.
  const all = series.window(0, intervals.length);
  return all.bytes === 0
    ? null
    : { bytesPerSecond: all.rate, fromMs: 0, toMs: series.endMs(intervals.length), reached: false };
}

/** Bytes after the first arrival at or after `from`, up to the last, over the time between them. */
function arrivalToArrival(intervals: readonly ThroughputInterval[], from: number) {
  let first = -1;
  let last = -1;
  let bytes = 0;
  for (let i = from; i < intervals.length; i++) {
    const interval = intervals[i] as ThroughputInterval;
    if (interval.bytes === 0) continue;
    if (first < 0) first = i;
    else bytes += interval.bytes;
    last = i;
  }
  if (first < 0 || last === first) return null;
  const fromMs = (intervals[first] as ThroughputInterval).t;
  const toMs = (intervals[last] as ThroughputInterval).t;
  return { bytes, bytesPerSecond: perSecond(bytes, toMs - fromMs), fromMs, toMs };
}

/** Running sums, so any window's bytes and rate cost O(1). */
class Prefix {
  private readonly sums: number[] = [0];

  constructor(private readonly intervals: readonly ThroughputInterval[]) {
    for (const interval of intervals)
      this.sums.push((this.sums[this.sums.length - 1] as number) + interval.bytes);
  }

  /** Where interval `index` ends (0 for the start of the first). */
  endMs(count: number): number {
    return count === 0 ? 0 : (this.intervals[count - 1] as ThroughputInterval).t;
  }

  /** Intervals [from, to): their bytes, start and rate. */
  window(from: number, to: number) {
    const fromMs = this.endMs(from);
    const bytes = (this.sums[to] as number) - (this.sums[from] as number);
    return { fromMs, bytes, rate: perSecond(bytes, this.endMs(to) - fromMs) };
  }

  firstStartingAtOrAfter(ms: number): number {
    let index = 0;
    while (index < this.intervals.length - 1 && this.endMs(index) < ms) index++;
    return index;
  }
}

function agree(a: number, b: number): boolean {
  return a > 0 && b > 0 && Math.abs(a - b) <= STEADY_TOLERANCE * Math.max(a, b);
}

function noStall(intervals: readonly ThroughputInterval[], from: number, to: number, mean: number): boolean {
  for (let i = from; i < to; i++)
    if ((intervals[i] as ThroughputInterval).bytesPerSecond < STEADY_FLOOR * mean) return false;
  return true;
}
