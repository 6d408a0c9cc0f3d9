// The numbers that decide "warn" versus "pass" in a diagnosis, in one table so they are documented
// and reviewed together rather than scattered through the code. Each entry says why it is where it is.
// A measurement on the wrong side of a threshold gives a warn finding; only things that stop data
// from flowing (or arriving intact) give a fail, and those need no threshold.

import type { FindingCode } from "../../contract/findings";

export interface Threshold {
  /** The value itself, in the unit named by the key. */
  readonly value: number;
  /** Which side of the value warns. */
  readonly warnWhen: "above" | "below";
  /** The finding code a measurement on the wrong side produces. */
  readonly code: FindingCode;
  /** Why the value is where it is, kept next to the number (docs/FINDINGS.md sends readers here). */
  readonly why: string;
}

export const THRESHOLDS = {
  timeToOpenMs: {
    value: 3000,
    warnWhen: "above",
    code: "slow-open",
    why: "Two peers in one page open a channel in well under a second (typically 20-200 ms); seconds mean ICE or DTLS retried or waited on an unreachable interface, which real calls would feel too.",
  },
  throughputBytesPerSecond: {
    value: 1_000_000,
    warnWhen: "below",
    code: "low-throughput",
    why: "Loopback in a current browser moves several MB/s even on two slow cores (10^6 bytes per second = 1 MB/s); below that the browser, an extension or the machine is throttling the data channel.",
  },
  latencyP95Ms: {
    value: 25,
    warnWhen: "above",
    code: "high-latency",
    why: "A loopback ping-pong needs no network, so p95 stays around a millisecond; above 25 ms the page's main thread or the browser's network thread is starved, which hurts interactive apps.",
  },
  maxMessageSize: {
    value: 65_536,
    warnWhen: "below",
    code: "small-max-message-size",
    why: "RFC 8831 lets every endpoint assume 64 KiB messages; a smaller negotiated maximum breaks applications that rely on that.",
  },
} as const satisfies Record<string, Threshold>;

export type ThresholdName = keyof typeof THRESHOLDS;

/** Each threshold's value; a diagnosis may be asked to judge by stricter (or looser) ones. */
export type ThresholdValues = Record<ThresholdName, number>;

export const DEFAULT_THRESHOLD_VALUES: ThresholdValues = Object.fromEntries(
  Object.entries(THRESHOLDS).map(([name, t]) => [name, t.value]),
) as ThresholdValues;

/** The default values with the given ones in their place; rejects unknown names and non-positive numbers. */
export function thresholdValues(overrides: Partial<Record<string, number>> = {}): ThresholdValues {
  const values = { ...DEFAULT_THRESHOLD_VALUES };
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(THRESHOLDS, name))
      throw new RangeError(
        `"${name}" is no threshold; the thresholds are ${Object.keys(THRESHOLDS).join(", ")}.`,
      );
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
      throw new RangeError(`The ${name} threshold must be a positive number, not ${String(value)}.`);
    values[name as ThresholdName] = value;
  }
  return values;
}

/** True when the measured value is on the warning side of the named threshold. */
export function crosses(name: ThresholdName, measured: number, values = DEFAULT_THRESHOLD_VALUES): boolean {
  const threshold: Threshold = THRESHOLDS[name];
  return threshold.warnWhen === "above" ? measured > values[name] : measured < values[name];
}
