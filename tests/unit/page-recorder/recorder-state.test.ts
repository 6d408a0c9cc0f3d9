// The recorder's log: numbered events kept until the panel acknowledges them, bounded all the same.
import { describe, expect, it } from "vitest";
import { RecorderState } from "../../../src/page-recorder/recorder-state";

describe("RecorderState", () => {
  it("hands out what was not acknowledged, and lets go of what was", () => {
    const state = new RecorderState();
    for (let i = 0; i < 3; i++) state.record(1, "peer", "signalingState", `s${i}`);
    const first = state.unacknowledged(0);
    expect(first.map((e) => e.n)).toEqual([1, 2, 3]);
    // That answer never reached the panel: the next drain still carries all three, and a new one.
    state.record(1, "peer", "signalingState", "s3");
    expect(state.unacknowledged(0).map((e) => e.n)).toEqual([1, 2, 3, 4]);
    expect(state.unacknowledged(3).map((e) => e.n)).toEqual([4]);
    expect(state.unacknowledged(4)).toEqual([]);
  });

  it("stays bounded when nothing is acknowledged, counting what it dropped", () => {
    const state = new RecorderState();
    for (let i = 0; i < 5000; i++) state.record(1, "peer", "signalingState", "x");
    expect(state.unacknowledged(0).length).toBeLessThanOrEqual(2000);
    expect(state.dropped).toBeGreaterThan(0);
  });
});
