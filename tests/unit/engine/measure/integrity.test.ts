import { describe, expect, it } from "vitest";
import { IntegrityTracker } from "../../../../src/engine/measure/integrity";

const counts = (t: IntegrityTracker) => ({
  delivered: t.delivered,
  outOfOrder: t.outOfOrder,
  duplicated: t.duplicated,
  corrupted: t.corrupted,
});

describe("IntegrityTracker", () => {
  it("counts an in-order run as all delivered and nothing else", () => {
    const t = new IntegrityTracker(2 ** 32);
    for (let seq = 0; seq < 1000; seq++) t.record(seq);
    expect(counts(t)).toEqual({ delivered: 1000, outOfOrder: 0, duplicated: 0, corrupted: 0 });
    expect(t.lost(1000, true)).toBe(0);
  });

  it("counts late arrivals as out of order, not as lost", () => {
    const t = new IntegrityTracker(2 ** 32);
    for (const seq of [0, 2, 3, 1, 5, 4]) t.record(seq);
    expect(counts(t)).toEqual({ delivered: 6, outOfOrder: 2, duplicated: 0, corrupted: 0 });
    expect(t.lost(6, true)).toBe(0);
  });

  it("counts what never arrived as lost once the run has finished", () => {
    const t = new IntegrityTracker(2 ** 32);
    for (const seq of [0, 1, 3, 4, 7]) t.record(seq);
    expect(t.lost(10, true)).toBe(5); // 2, 5, 6, 8, 9
  });

  it("of a cancelled run, counts only gaps below the highest seen; the rest was in flight", () => {
    const t = new IntegrityTracker(2 ** 32);
    for (const seq of [0, 1, 3, 4, 7]) t.record(seq);
    expect(t.lost(10, false)).toBe(3); // 2, 5, 6
    expect(t.inFlight(10)).toBe(2); // 8, 9
  });

  it("counts duplicates apart, and corrupted messages apart from delivered", () => {
    const t = new IntegrityTracker(2 ** 32);
    for (const seq of [0, 1, 1, 2, -1, 3, 0]) t.record(seq);
    expect(counts(t)).toEqual({ delivered: 4, outOfOrder: 0, duplicated: 2, corrupted: 1 });
    expect(t.lost(5, true)).toBe(0); // 4 delivered + 1 corrupted of 5 sent
  });

  it("recovers full sequence numbers from small headers", () => {
    const t = new IntegrityTracker(256);
    for (let seq = 0; seq < 1000; seq++) t.record(seq % 256);
    expect(counts(t)).toEqual({ delivered: 1000, outOfOrder: 0, duplicated: 0, corrupted: 0 });
    expect(t.highest).toBe(999);
    // A straggler a few behind still reads as late, not as far ahead.
    t.record(1002 % 256);
    t.record(1000 % 256);
    expect(t.outOfOrder).toBe(1);
    expect(t.highest).toBe(1002);
  });

  it("keeps fixed memory: a gap wider than the window clears it, arrivals behind it count as late", () => {
    const t = new IntegrityTracker(2 ** 32, 64);
    t.record(0);
    t.record(1000);
    t.record(10); // beyond the window: cannot check for a duplicate
    t.record(990); // within: a first arrival
    t.record(990); // within: a duplicate
    expect(counts(t)).toEqual({ delivered: 4, outOfOrder: 2, duplicated: 1, corrupted: 0 });
  });
});
