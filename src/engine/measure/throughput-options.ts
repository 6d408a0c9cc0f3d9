// Checks throughput-run options and settles every default, so the runner only ever sees a valid,
// complete set of settings, and a typo or a nonsense value gets a message that says what to fix.
import { LabError } from "../core/errors";
import { SEND_QUEUE_LIMIT } from "../core/platform";

export interface ThroughputOptions {
  /** Bytes per message, 1 up to the connection's maximum. Default 64 KiB, lowered to the maximum. */
  messageSize?: number;
  /** How long to send, in ms. Default 5000; not together with totalBytes. */
  durationMs?: number;
  /** How much to send instead of a duration; rounded up to whole messages. */
  totalBytes?: number;
  /** Default true. */
  ordered?: boolean;
  /** Partial reliability: at most this many retransmissions (0–65535). Not together with maxPacketLifeTime. */
  maxRetransmits?: number;
  /** Partial reliability: give up on a message after this many ms (0–65535). */
  maxPacketLifeTime?: number;
  /** ArrayBuffer messages (default) or text. */
  binary?: boolean;
  /**
   * Send until the rate is steady (steady-state.ts), then STEADY_MEASURE_MS more from where it
   * became steady; durationMs is then the cap (default STEADY_TIMEOUT_MS) and messageSize defaults to
   * STEADY_MESSAGE_SIZE. Not together with totalBytes.
   */
  untilSteady?: boolean;
}

export interface ThroughputSettings {
  messageSize: number;
  /** How long sending lasted at most; null when the run sends totalBytes instead. */
  durationMs: number | null;
  totalBytes: number | null;
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  binary: boolean;
  untilSteady: boolean;
  /** The sender refills while bufferedAmount is at or under this... */
  highWaterMark: number;
  /** ...and is woken (bufferedamountlow) when it falls to this. */
  lowWaterMark: number;
  /** The connection's maximum message size when the run started. */
  maxMessageSize: number;
}

export const DEFAULT_MESSAGE_SIZE = 64 * 1024;
export const DEFAULT_DURATION_MS = 5000;
/**
 * The size a steady-state run uses by default: in the bench's size table (and 10 s runs side by side)
 * 256 KiB did as well as or better than 64 KiB and 1 MiB in both Chromium and Firefox, and it is
 * Chrome's maxMessageSize.
 */
export const STEADY_MESSAGE_SIZE = 256 * 1024;
/** A steady-state run sends for at most this long, steady or not. */
export const STEADY_TIMEOUT_MS = 8000;
/** ...and measures the steady rate over this long from where it became steady. */
export const STEADY_MEASURE_MS = 3000;
/**
 * Backpressure: keep up to 1 MiB queued and refill at half of it. Enough to keep the SCTP
 * stack busy between two refills, far under Chrome's 16 MiB send-queue limit.
 */
export const HIGH_WATER_MARK = 1024 * 1024;
export const LOW_WATER_MARK = HIGH_WATER_MARK / 2;
/** The most that may ever be queued; a message larger than this could never be sent safely. */
const MAX_QUEUED = SEND_QUEUE_LIMIT;
const MAX_DURATION_MS = 24 * 3600 * 1000;

const KNOWN = [
  "messageSize",
  "durationMs",
  "totalBytes",
  "ordered",
  "maxRetransmits",
  "maxPacketLifeTime",
  "binary",
  "untilSteady",
];

/** Checks what can be checked before a connection exists; throws LabError "invalid-option". */
export function checkThroughputOptions(options: unknown): ThroughputOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw invalid(
      `The options must be an object such as { messageSize: 65536, durationMs: 5000 }, not ${describe(options)}.`,
    );
  }
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((key) => !KNOWN.includes(key));
  if (unknown.length > 0)
    throw invalid(
      `Unknown option ${unknown.map((k) => `"${k}"`).join(", ")}; the options are ${KNOWN.join(", ")}.`,
    );
  if (o.messageSize !== undefined)
    integerIn("messageSize", o.messageSize, 1, Number.MAX_SAFE_INTEGER, "bytes");
  if (o.durationMs !== undefined) {
    if (
      typeof o.durationMs !== "number" ||
      !Number.isFinite(o.durationMs) ||
      o.durationMs <= 0 ||
      o.durationMs > MAX_DURATION_MS
    ) {
      throw invalid(
        `durationMs must be a number of milliseconds above 0 and at most ${MAX_DURATION_MS} (a day), not ${describe(o.durationMs)}.`,
      );
    }
  }
  if (o.totalBytes !== undefined) integerIn("totalBytes", o.totalBytes, 1, Number.MAX_SAFE_INTEGER, "bytes");
  if (o.durationMs !== undefined && o.totalBytes !== undefined) {
    throw invalid("Give durationMs or totalBytes, not both: a run stops after a time or after an amount.");
  }
  for (const key of ["ordered", "binary", "untilSteady"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "boolean")
      throw invalid(`${key} must be true or false, not ${describe(o[key])}.`);
  }
  if (o.untilSteady === true && o.totalBytes !== undefined) {
    throw invalid(
      "Give untilSteady or totalBytes, not both: a steady-state run stops when the rate has settled (durationMs is its cap).",
    );
  }
  if (o.maxRetransmits !== undefined)
    integerIn("maxRetransmits", o.maxRetransmits, 0, 65535, "retransmissions");
  if (o.maxPacketLifeTime !== undefined) integerIn("maxPacketLifeTime", o.maxPacketLifeTime, 0, 65535, "ms");
  if (o.maxRetransmits !== undefined && o.maxPacketLifeTime !== undefined) {
    throw invalid(
      "Give maxRetransmits or maxPacketLifeTime, not both: a data channel takes one kind of partial reliability.",
    );
  }
  return o as ThroughputOptions;
}

/** Settles the defaults against the open connection; throws LabError "invalid-option" for a message it cannot carry. */
export function resolveThroughputSettings(
  options: ThroughputOptions,
  maxMessageSize: number,
): ThroughputSettings {
  const limit = Math.min(maxMessageSize, MAX_QUEUED);
  const untilSteady = options.untilSteady === true;
  const messageSize =
    options.messageSize ?? Math.min(untilSteady ? STEADY_MESSAGE_SIZE : DEFAULT_MESSAGE_SIZE, limit);
  if (messageSize > limit) {
    const why =
      limit === maxMessageSize
        ? `this connection accepts at most ${limit.toLocaleString("en")} bytes per message (maxMessageSize of the SCTP transport)`
        : `at most ${limit.toLocaleString("en")} bytes may be queued on a channel (Chrome closes it beyond that), so no single message may be larger`;
    throw invalid(`messageSize is ${messageSize.toLocaleString("en")} bytes, but ${why}.`);
  }
  // A message must fit under the queue limit together with everything the high-water mark allows.
  const highWaterMark = Math.min(HIGH_WATER_MARK, MAX_QUEUED - messageSize);
  return {
    messageSize,
    durationMs:
      options.totalBytes === undefined
        ? (options.durationMs ?? (untilSteady ? STEADY_TIMEOUT_MS : DEFAULT_DURATION_MS))
        : null,
    totalBytes: options.totalBytes ?? null,
    ordered: options.ordered ?? true,
    maxRetransmits: options.maxRetransmits ?? null,
    maxPacketLifeTime: options.maxPacketLifeTime ?? null,
    binary: options.binary ?? true,
    untilSteady,
    highWaterMark,
    lowWaterMark: Math.min(LOW_WATER_MARK, highWaterMark),
    maxMessageSize,
  };
}

function integerIn(name: string, value: unknown, min: number, max: number, unit: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw invalid(`${name} must be a whole number of ${unit}, ${range}; got ${describe(value)}.`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string")
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return "an array";
  return String(value);
}

function invalid(message: string): LabError {
  return new LabError("invalid-option", message);
}
