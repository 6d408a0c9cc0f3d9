// The Lab's throughput and latency runs where no browser is needed: option checks come before any
// connection, and a browser without WebRTC gets the connect failure, not a hang.
import { describe, expect, it } from "vitest";
import { Lab } from "../../../../src/engine/lab";

describe("Lab runs without WebRTC", () => {
  it("refuses bad throughput options before trying to connect", async () => {
    const lab = new Lab();
    const events: string[] = [];
    for (const name of ["run-phase", "throughput-result", "latency-result"] as const)
      lab.events.on(name, () => events.push(name));
    await expect(lab.runThroughput({ messageSize: -5 })).rejects.toMatchObject({ code: "invalid-option" });
    await expect(lab.runLatency({ samples: 0 })).rejects.toMatchObject({ code: "invalid-option" });
    expect(lab.phase).toBe("idle");
    expect(lab.timeline.list()).toEqual([]);
    expect(events).toEqual([]);
    expect(lab.runningRun).toBeNull();
  });

  it("connects first, and passes on a failed connect as the rejection", async () => {
    const lab = new Lab();
    await expect(lab.runThroughput({ durationMs: 100 })).rejects.toMatchObject({ code: "connect-failed" });
    await expect(lab.runLatency()).rejects.toMatchObject({ code: "connect-failed" });
    expect(lab.runningRun).toBeNull();
    expect(lab.lastThroughput).toBeNull();
    expect(lab.lastLatency).toBeNull();
  });

  it("stopRun with nothing running is harmless", async () => {
    await expect(new Lab().stopRun()).resolves.toBeUndefined();
  });
});
