// The latency runner against a fake channel pair: every round trip timed after the warm-up, and
// every way a run can end early (Stop, the session ending, the channel closing, a wrong echo).
import { describe, expect, it } from "vitest";
import { type LatencyEvents, measureLatency, WARMUP } from "../../../../src/engine/measure/latency";
import { fakeSource } from "../../fake-channel";

function run(samples: number, network: Parameters<typeof fakeSource>[0]) {
  const { source, session, channels } = fakeSource(network);
  const stop = new AbortController();
  const phases: string[] = [];
  const progress: LatencyEvents["latency-progress"][] = [];
  const results: LatencyEvents["latency-result"][] = [];
  const result = measureLatency(
    source,
    { samples },
    {
      signal: stop.signal,
      label: "latency-1",
      events: {
        emit: (name, payload) => {
          if (name === "run-phase") phases.push((payload as LatencyEvents["run-phase"]).phase);
          if (name === "latency-progress") progress.push(payload as LatencyEvents["latency-progress"]);
          if (name === "latency-result") results.push(payload as LatencyEvents["latency-result"]);
        },
      },
    },
  );
  return { result, stop, session, channels, phases, progress, results };
}

describe("latency runner (fake channels)", () => {
  it("times the requested round trips after the untimed warm-up, and announces the result once", async () => {
    const { result, phases, progress, results, channels } = run(20, { perTick: 10 });
    const r = await result;
    expect(r).toMatchObject({ samples: 20, requestedSamples: 20, warmup: WARMUP, cancelled: false });
    expect(r.p50Ms).toBeGreaterThanOrEqual(0);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p95Ms);
    expect(r.p95Ms).toBeLessThanOrEqual(r.maxMs);
    // Each ping is answered by one echo: the sending end sent the warm-up plus the samples.
    expect(channels[0]?.sentMessages).toBe(20 + WARMUP);
    expect(phases).toEqual(["running"]);
    expect(progress.at(-1)).toEqual({ done: 20, total: 20 });
    expect(results).toEqual([r]);
    expect(channels.every((c) => c.readyState === "closed")).toBe(true);
  });

  it("stops on Stop with the samples taken so far", async () => {
    const { result, stop } = run(100_000, { perTick: 1 });
    setTimeout(() => stop.abort(), 30);
    const r = await result;
    expect(r.cancelled).toBe(true);
    expect(r.cancelReason).toBe("stopped");
    expect(r.samples).toBeLessThan(100_000);
  });

  it("ends when the session ends under it", async () => {
    const { result, session } = run(100_000, { perTick: 1 });
    setTimeout(() => session.abort(), 30);
    expect(await result).toMatchObject({ cancelled: true, cancelReason: "the session ended" });
  });

  it("ends when its channel closes", async () => {
    const { result, channels } = run(100_000, { perTick: 1 });
    setTimeout(() => channels[1]?.closeFromPeer(), 30);
    expect(await result).toMatchObject({ cancelled: true, cancelReason: "the run's channel closed" });
  });

  it("refuses an echo that is not of the last ping", async () => {
    const damaged = (index: number, data: string | ArrayBuffer) => {
      if (index !== 9 || typeof data === "string") return [data];
      const copy = data.slice(0);
      new Uint32Array(copy)[0] = 999_999;
      return [copy];
    };
    const { result } = run(50, { perTick: 5, transform: damaged });
    expect(await result).toMatchObject({ cancelled: true, cancelReason: "an echo did not match its ping" });
  });
});
