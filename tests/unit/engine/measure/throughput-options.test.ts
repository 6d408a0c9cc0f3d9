import { describe, expect, it } from "vitest";
import { LabError } from "../../../../src/engine/core/errors";
import { SEND_QUEUE_LIMIT } from "../../../../src/engine/core/platform";
import { checkLatencyOptions } from "../../../../src/engine/measure/latency";
import {
  checkThroughputOptions,
  DEFAULT_DURATION_MS,
  DEFAULT_MESSAGE_SIZE,
  resolveThroughputSettings,
  STEADY_MESSAGE_SIZE,
  STEADY_TIMEOUT_MS,
} from "../../../../src/engine/measure/throughput-options";

function refusal(fn: () => unknown): LabError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe("invalid-option");
    return error as LabError;
  }
  throw new Error("expected an invalid-option LabError");
}

describe("throughput options", () => {
  it("defaults: 64 KiB, 5 s, ordered, reliable, binary", () => {
    const s = resolveThroughputSettings(checkThroughputOptions(undefined), 262_144);
    expect(s).toMatchObject({
      messageSize: DEFAULT_MESSAGE_SIZE,
      durationMs: DEFAULT_DURATION_MS,
      totalBytes: null,
      ordered: true,
      maxRetransmits: null,
      maxPacketLifeTime: null,
      binary: true,
      maxMessageSize: 262_144,
    });
  });

  it("a steady-state run defaults to 256 KiB (or the maximum) and an 8 s cap, and refuses totalBytes", () => {
    const s = resolveThroughputSettings(checkThroughputOptions({ untilSteady: true }), 1 << 30);
    expect(s).toMatchObject({
      untilSteady: true,
      messageSize: STEADY_MESSAGE_SIZE,
      durationMs: STEADY_TIMEOUT_MS,
    });
    expect(resolveThroughputSettings({ untilSteady: true }, 65_536).messageSize).toBe(65_536);
    expect(refusal(() => checkThroughputOptions({ untilSteady: true, totalBytes: 5 })).message).toMatch(
      /untilSteady or totalBytes/,
    );
    expect(refusal(() => checkThroughputOptions({ untilSteady: "yes" })).message).toMatch(/true or false/);
  });

  it("lowers the default message size to the connection's maximum", () => {
    expect(resolveThroughputSettings({}, 16_384).messageSize).toBe(16_384);
  });

  it("refuses an explicit size above the maximum, saying what the maximum is", () => {
    const e = refusal(() => resolveThroughputSettings({ messageSize: 262_145 }, 262_144));
    expect(e.message).toContain("262,144");
  });

  it("never lets the queue exceed the send-queue limit, even for huge maxima (Firefox)", () => {
    const s = resolveThroughputSettings({ messageSize: 8 * 1024 * 1024 }, 2 ** 30);
    expect(s.highWaterMark + s.messageSize).toBeLessThanOrEqual(SEND_QUEUE_LIMIT);
    expect(s.lowWaterMark).toBeLessThanOrEqual(s.highWaterMark);
    refusal(() => resolveThroughputSettings({ messageSize: SEND_QUEUE_LIMIT + 1 }, 2 ** 30));
  });

  it("totalBytes replaces the duration", () => {
    expect(resolveThroughputSettings({ totalBytes: 1000 }, 65_536)).toMatchObject({
      totalBytes: 1000,
      durationMs: null,
    });
  });

  it.each([
    [{ messageSize: 0 }, "messageSize"],
    [{ messageSize: 1.5 }, "messageSize"],
    [{ messageSize: "64k" }, "messageSize"],
    [{ durationMs: -1 }, "durationMs"],
    [{ durationMs: Number.NaN }, "durationMs"],
    [{ totalBytes: 0 }, "totalBytes"],
    [{ durationMs: 1000, totalBytes: 1000 }, "not both"],
    [{ maxRetransmits: 1, maxPacketLifeTime: 100 }, "not both"],
    [{ maxRetransmits: -1 }, "maxRetransmits"],
    [{ maxPacketLifeTime: 70_000 }, "maxPacketLifeTime"],
    [{ ordered: "yes" }, "ordered"],
    [{ binary: 1 }, "binary"],
    [{ messagesize: 1024 }, "Unknown option"],
    ["fast", "must be an object"],
  ])("refuses %j with a message naming the problem", (options, words) => {
    expect(refusal(() => checkThroughputOptions(options)).message).toContain(words);
  });
});

describe("latency options", () => {
  it("defaults to 200 samples", () => {
    expect(checkLatencyOptions(undefined)).toEqual({ samples: 200 });
  });

  it.each([[{ samples: 0 }], [{ samples: 2.5 }], [{ samples: 1e9 }], [{ sample: 10 }], [[]]])(
    "refuses %j",
    (options) => {
      refusal(() => checkLatencyOptions(options));
    },
  );
});
