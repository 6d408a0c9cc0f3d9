// The verdict rules and the thresholds table: which measurements warn, which fail, and the headline.

import { describe, expect, it } from "vitest";
import { FINDINGS } from "../../../../src/contract/findings";
import { levelOf, worstLevel } from "../../../../src/contract/levels";
import { crosses, DEFAULT_THRESHOLD_VALUES, THRESHOLDS } from "../../../../src/engine/diagnose/thresholds";
import { headline, latencyEvidence, measurementFindings } from "../../../../src/engine/diagnose/verdict";
import type { ThroughputResult } from "../../../../src/engine/measure/throughput";
import { latencyResult, throughputResult } from "../../report-fixture";

const open = { timeToOpenMs: 40, maxMessageSize: 262144 };
const codes = (m: Parameters<typeof measurementFindings>[0]) =>
  measurementFindings(m).map((f) => `${f.level} ${f.code}`);

/** A run cut while draining in which not one message arrived whole. */
const nothingWhole = (cut: Partial<ThroughputResult>) =>
  throughputResult({ bytes: 0, messages: 0, durationMs: 0, bytesPerSecond: 0, ...cut });

describe("the thresholds table", () => {
  it("documents every threshold with a reason and a stable finding code", () => {
    for (const [name, threshold] of Object.entries(THRESHOLDS)) {
      expect(threshold.why.length, name).toBeGreaterThan(40);
      expect(threshold.code, name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it("warns strictly beyond the value, on the side the table names", () => {
    const open = THRESHOLDS.timeToOpenMs.value;
    expect([crosses("timeToOpenMs", open), crosses("timeToOpenMs", open + 1)]).toEqual([false, true]);
    const rate = THRESHOLDS.throughputBytesPerSecond.value;
    expect([
      crosses("throughputBytesPerSecond", rate),
      crosses("throughputBytesPerSecond", rate - 1),
    ]).toEqual([false, true]);
  });
});

describe("measurementFindings", () => {
  it("says a round trip under the clock's resolution is under it, and ends a stop reason with one full stop", () => {
    const coarse = latencyResult({ p50Ms: 0, p95Ms: 0, resolutionMs: 1 });
    const found = measurementFindings({ connection: open, throughput: throughputResult(), latency: coarse });
    expect(found.find((f) => f.code === "latency-measured")?.message).toBe(
      "Round trips took under 1 ms at the median and under 1 ms at the 95th percentile.",
    );
    const stopped = latencyResult({ cancelled: true, samples: 0, cancelReason: "Stopped." });
    const message = measurementFindings({
      connection: open,
      throughput: throughputResult(),
      latency: stopped,
    }).find((f) => f.code === "latency-failed")?.message;
    expect(message).toBe("The latency run stopped before its end: Stopped.");
  });

  it("passes a healthy run, naming throughput and latency", () => {
    expect(codes({ connection: open, throughput: throughputResult(), latency: latencyResult() })).toEqual([
      "pass throughput-measured",
      "pass latency-measured",
    ]);
  });

  it("warns on a slow open, slow throughput, high latency and a small message limit, each with its threshold's code", () => {
    const slow = THRESHOLDS.timeToOpenMs.value + 500;
    const found = codes({
      connection: { timeToOpenMs: slow, maxMessageSize: 16384 },
      throughput: throughputResult({ bytesPerSecond: THRESHOLDS.throughputBytesPerSecond.value / 2 }),
      latency: latencyResult({ p95Ms: THRESHOLDS.latencyP95Ms.value * 2 }),
    });
    expect(found).toEqual([
      `warn ${THRESHOLDS.timeToOpenMs.code}`,
      `warn ${THRESHOLDS.maxMessageSize.code}`,
      `warn ${THRESHOLDS.throughputBytesPerSecond.code}`,
      `warn ${THRESHOLDS.latencyP95Ms.code}`,
    ]);
  });

  it("fails damaged data, an empty run, and tests that stopped early", () => {
    expect(codes({ connection: open, throughput: throughputResult({ lost: 1 }), latency: null })).toEqual([
      "fail data-not-intact",
    ]);
    expect(
      codes({ connection: open, throughput: throughputResult({ corrupted: 2 }), latency: null }),
    ).toEqual(["fail data-not-intact"]);
    expect(
      codes({ connection: open, throughput: throughputResult({ bytes: 0, messages: 0 }), latency: null }),
    ).toEqual(["fail no-throughput"]);
    expect(
      codes({
        connection: open,
        throughput: throughputResult({ cancelled: true, cancelReason: "channel closed" }),
        latency: null,
      }),
    ).toEqual(["fail throughput-failed"]);
    const stopped = measurementFindings({
      connection: open,
      throughput: null,
      latency: latencyResult({ samples: 0, cancelled: true, cancelReason: "Disconnected" }),
    });
    expect(stopped.map((f) => f.code)).toEqual(["latency-failed"]);
    expect(stopped[0]?.message).toContain("Disconnected");
  });
});

describe("levelOf and the headline", () => {
  const pass = { level: "pass" as const, code: "channel-open" as const, message: "opened" };
  const warn = { level: "warn" as const, code: "slow-open" as const, message: "It took long." };
  const fail = {
    level: "fail" as const,
    code: "no-candidates" as const,
    message: "No ICE candidates were gathered.",
  };

  it("is the worst level found, and pass when nothing worries", () => {
    expect(levelOf([])).toBe("pass");
    expect(levelOf([pass])).toBe("pass");
    expect(levelOf([pass, warn])).toBe("warn");
    expect(levelOf([warn, fail, pass])).toBe("fail");
    expect(worstLevel(["pass", "warn"])).toBe("warn");
    expect(worstLevel(["fail", "pass"])).toBe("fail");
  });

  it("says in words what works and at what speed, or why not", () => {
    const m = {
      connection: open,
      throughput: throughputResult({ bytesPerSecond: 9_870_000 }),
      latency: latencyResult({ p95Ms: 0.6 }),
    };
    expect(headline("pass", [pass], m)).toBe(
      "WebRTC data channels work here (9.87 MB/s, p95 round trip 0.60 ms).",
    );
    expect(headline("warn", [pass, warn], m)).toContain("with one warning: It took long.");
    expect(headline("fail", [fail], { connection: null, throughput: null, latency: null })).toBe(
      "WebRTC data channels do not work here: No ICE candidates were gathered.",
    );
  });
});

describe("a connection lost during a run", () => {
  it("is its own failure, saying what was delivered until then", () => {
    const findings = measurementFindings({
      connection: { timeToOpenMs: 40, maxMessageSize: 262_144 },
      throughput: throughputResult({
        cancelled: true,
        connectionLost: true,
        cancelReason: "ICE disconnected and did not recover within 5 s",
        bytes: 2_000_000,
        messages: 31,
      }),
      latency: null,
    });
    expect(findings).toEqual([
      expect.objectContaining({
        level: "fail",
        code: "connection-lost",
        message:
          "The connection was lost during the throughput run: ICE disconnected and did not recover within 5 s. Until then 2.00 MB in 31 messages had been delivered intact.",
      }),
    ]);
  });
});

describe("hints from the shape of the round trips", () => {
  const slow = (p50Ms: number, p95Ms: number) =>
    measurementFindings({
      connection: open,
      throughput: throughputResult({ bytesPerSecond: 100_000 }),
      latency: latencyResult({ samples: 200, p50Ms, p95Ms, p99Ms: p95Ms, maxMs: p95Ms }),
    });

  it("a flat, long round trip blames the path, not a busy page, for latency and throughput", () => {
    const found = slow(42, 45);
    expect(found.find((f) => f.code === "high-latency")?.hint).toMatch(
      /^Every round trip is long \(p50 42\.0 ms/,
    );
    expect(found.find((f) => f.code === "low-throughput")?.hint).toMatch(/the path is the limit here/);
  });

  it("a fast median with outliers of hundreds of ms is the pattern of lost packets", () => {
    const found = slow(1, 400);
    expect(found.find((f) => f.code === "high-latency")?.hint).toMatch(
      /what retransmissions after lost packets look like/,
    );
    expect(found.find((f) => f.code === "low-throughput")?.hint).toMatch(/spike to 400 ms/);
  });

  it("a run cut while a slow link still drained says so, with what was on the way, and loses nothing", () => {
    const found = measurementFindings({
      connection: open,
      throughput: throughputResult({ bytesPerSecond: 4_000, drainCutMs: 30_012, inFlight: 3 }),
      latency: latencyResult({ samples: 200, p50Ms: 3, p95Ms: 4, p99Ms: 4, maxMs: 4 }),
    });
    const low = found.find((f) => f.code === "low-throughput");
    expect(low?.level).toBe("warn");
    expect(low?.message).toMatch(
      / The run stopped waiting 30\.0 s after sending ended, with .+ still on the way: the link is too slow to drain its queue within 30 s\.$/,
    );
    expect(found.map((f) => f.code)).not.toContain("data-not-intact");
  });

  it("a run cut while draining with nothing whole arrived says so, not 'no data in 0.00 ms'", () => {
    const found = measurementFindings({
      connection: open,
      throughput: nothingWhole({ drainCutMs: 30_004, inFlight: 40 }),
      latency: null,
    });
    expect(found.find((f) => f.code === "no-throughput")?.message).toMatch(
      /message arrived whole: once sending ended the run waited 30\.0 s for its queue to drain, and the link, still carrying bytes, completed none\.$/,
    );
  });

  it("a link that kept carrying bytes too slowly for one message is slow, not broken (32 kbit/s)", () => {
    const found = measurementFindings({
      connection: open,
      throughput: nothingWhole({ drainCutMs: 30_004, inFlight: 40, pathBytesPerSecond: 3_900 }),
      latency: null,
    });
    expect(found.map((f) => `${f.level} ${f.code}`)).toEqual(["warn low-throughput"]);
    expect(found[0]?.message).toBe(
      "Not one 65.5 kB message arrived whole, though the link kept carrying bytes: about 3.90 kB/s off the wire (ICE's count, packet overhead included), at which one such message takes about 17 s. The run stopped waiting 30.0 s after sending ended.",
    );
    expect(found[0]?.hint).toMatch(/^The link itself is the limit/);
    expect(
      headline("warn", found, {
        connection: open,
        throughput: throughputResult({ bytes: 0, drainCutMs: 30_004, pathBytesPerSecond: 3_900 }),
        latency: null,
      }),
    ).toMatch(
      /^WebRTC data channels work here \(no message whole, about 3\.90 kB\/s on the wire\), with one warning/,
    );
  });

  it("a run that stopped waiting early, as no message more could arrive, says so and how long its queue would have taken", () => {
    const cut = (drainCutMs: number) =>
      measurementFindings({
        connection: open,
        throughput: nothingWhole({
          drainCutMs,
          drainProjectedMs: 301_400,
          inFlight: 20,
          pathBytesPerSecond: 3_900,
        }),
        latency: null,
      })[0]?.message;
    expect(cut(12_400)).toMatch(
      / The run stopped waiting 12\.4 s after sending ended \(at the link's rate not one more message could arrive whole within its 30 s bound, and the queue would have taken about 301 s more\)\.$/,
    );
    expect(cut(312)).toMatch(
      / The run did not wait for its queue to drain \(at the link's rate not one more message could arrive whole within its 30 s bound, and the queue would have taken about 301 s\)\.$/,
    );
  });

  it("fast round trips beside a low rate point at limited bandwidth (a 1 Mbit/s link: p50 2.8 ms)", () => {
    expect(slow(2.8, 3.1).find((f) => f.code === "low-throughput")?.hint).toMatch(
      /^Round trips stay fast \(p50 2\.80 ms, p95 3\.10 ms\) while the bulk rate is low: bandwidth is what is limited/,
    );
  });

  it("anything else keeps the catalogue's hint, and so do too few samples", () => {
    expect(slow(10, 60).find((f) => f.code === "high-latency")?.hint).toBe(FINDINGS["high-latency"].hint);
    expect(
      latencyEvidence({ samples: 5, p50Ms: 42, p95Ms: 45, maxMs: 50 }, DEFAULT_THRESHOLD_VALUES),
    ).toBeNull();
  });
});
