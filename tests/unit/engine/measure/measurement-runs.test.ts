// The Lab's throughput and latency runs where no browser is needed: option checks come before any
// connection, and a browser without WebRTC gets the connect failure, not a hang.
import { describe, expect, it } from "vitest";
import { Lab } from "../../../../src/engine/lab";
import { MeasurementRuns } from "../../../../src/engine/measure/measurement-runs";
import type { ChannelSource } from "../../../../src/engine/measure/run-phase";
import { fakeSource } from "../../fake-channel";

describe("Lab runs without WebRTC", () => {
  it("refuses bad throughput options before trying to connect", async () => {
    const lab = new Lab();
    const events: string[] = [];
    for (const name of ["run-phase", "throughput-result", "latency-result"] as const)
      lab.runs.events.on(name, () => events.push(name));
    await expect(lab.runs.throughput.run({ messageSize: -5 })).rejects.toMatchObject({
      code: "invalid-option",
    });
    await expect(lab.runs.latency.run({ samples: 0 })).rejects.toMatchObject({ code: "invalid-option" });
    expect(lab.session.phase).toBe("idle");
    expect(lab.session.watched.timeline.list()).toEqual([]);
    expect(events).toEqual([]);
    expect(lab.runs.running).toBeNull();
  });

  it("connects first, and passes on a failed connect as the rejection", async () => {
    const lab = new Lab();
    await expect(lab.runs.throughput.run({ durationMs: 100 })).rejects.toMatchObject({
      code: "connect-failed",
    });
    await expect(lab.runs.latency.run(undefined)).rejects.toMatchObject({ code: "connect-failed" });
    expect(lab.runs.running).toBeNull();
    expect(lab.runs.throughput.last).toBeNull();
    expect(lab.runs.latency.last).toBeNull();
  });

  it("Stop with nothing running is harmless", () => {
    expect(() => new Lab().stop()).not.toThrow();
  });
});

describe("MeasurementRuns on a fake session", () => {
  function setup(connect: () => Promise<unknown> = async () => undefined) {
    const { source } = fakeSource({ perTick: 50 });
    let open: ChannelSource | null = null;
    const phases: string[] = [];
    const runs = new MeasurementRuns({
      connect: async () => {
        await connect();
        open = source;
      },
      get openSession() {
        return open;
      },
    });
    runs.events.on("run-phase", ({ run, phase }) => phases.push(`${run} ${phase}`));
    return { runs, phases };
  }

  it("connects first, runs, keeps the result, and announces the phases", async () => {
    const { runs, phases } = setup();
    const result = await runs.throughput.run({ messageSize: 1000, totalBytes: 20_000 });
    expect(result).toMatchObject({ cancelled: false, bytes: 20_000 });
    expect(runs.throughput.last).toBe(result);
    expect(runs.running).toBeNull();
    expect(phases).toEqual([
      "throughput starting",
      "throughput running",
      "throughput draining",
      "throughput finished",
    ]);
  });

  it("runs one at a time: a second run is refused as busy, and the first goes on", async () => {
    const { runs } = setup();
    const first = runs.throughput.run({ messageSize: 1000, durationMs: 60_000 });
    await expect(runs.latency.run({ samples: 5 })).rejects.toMatchObject({ code: "busy" });
    expect(runs.running).toBe("throughput");
    runs.stop();
    expect(await first).toMatchObject({ cancelled: true, cancelReason: "stopped" });
    await expect(runs.latency.run({ samples: 5 })).resolves.toMatchObject({ samples: 5, cancelled: false });
    expect(runs.latency.last?.samples).toBe(5);
  });

  it("Stop during the connect ends the run at once, marked as stopped before it started", async () => {
    let release = () => {};
    const { runs } = setup(() => new Promise<void>((resolve) => (release = resolve)));
    const pending = runs.latency.run({ samples: 5 });
    runs.stop();
    expect(await pending).toMatchObject({
      cancelled: true,
      cancelReason: "stopped before the connection opened",
    });
    release();
  });
});
