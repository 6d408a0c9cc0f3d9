// Zoom and pan of the state lanes: fitted until the person zooms, zoom keeps the pointer's time in
// place, pans never go before Connect, and selecting something out of view brings it into view.
import { describe, expect, it } from "vitest";
import { LaneWindow } from "../../../src/panel/lane-window";

describe("LaneWindow", () => {
  it("fits everything until zoomed, ending a little after now", () => {
    const view = new LaneWindow(1);
    expect(view.current(1000)).toEqual({ start: 0, end: 1040 });
    expect(view.isFitted).toBe(true);
  });

  it("zooms around the pointer's time and never below the minimum span", () => {
    const view = new LaneWindow(1);
    view.zoom(1000, 520, 0.5);
    const w = view.current(1000);
    expect(w.end - w.start).toBeCloseTo(520);
    // The time under the pointer stays at the same fraction of the width.
    expect((520 - w.start) / (w.end - w.start)).toBeCloseTo(0.5);
    for (let i = 0; i < 50; i++) view.zoom(1000, 520, 0.1);
    const tiny = view.current(1000);
    expect(tiny.end - tiny.start).toBeCloseTo(1);
    view.fit();
    expect(view.isFitted).toBe(true);
  });

  it("pans without going before Connect, and reveals what is out of view", () => {
    const view = new LaneWindow(1);
    view.pan({ start: 100, end: 200 }, -500);
    expect(view.current(1000)).toEqual({ start: 0, end: 100 });
    view.reveal(1000, 750);
    expect(view.current(1000)).toEqual({ start: 700, end: 800 });
    view.reveal(1000, 720);
    expect(view.current(1000)).toEqual({ start: 700, end: 800 });
  });
});
