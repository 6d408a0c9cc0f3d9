import { describe, expect, it } from "vitest";
import { TIMELINE_LIMIT, Timeline } from "../../../../src/engine/watch/timeline";

function clock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("Timeline", () => {
  it("measures times from the reset, rounded to microseconds", () => {
    const c = clock();
    const timeline = new Timeline(c.now);
    timeline.reset();
    c.advance(12.3456789);
    const entry = timeline.step("localPeer", "step", "offer created");
    expect(entry.t).toBe(12.346);
  });

  it("records a state only when it changes", () => {
    const c = clock();
    const timeline = new Timeline(c.now);
    timeline.reset();
    expect(timeline.state("sendChannel", "readyState", "connecting")).toBeDefined();
    expect(timeline.state("sendChannel", "readyState", "connecting")).toBeUndefined();
    expect(timeline.state("receiveChannel", "readyState", "connecting")).toBeDefined();
    c.advance(5);
    expect(timeline.state("sendChannel", "readyState", "open")?.t).toBe(5);
    expect(timeline.lastValue("sendChannel", "readyState")).toBe("open");
    expect(timeline.list().map((e) => `${e.source}.${e.value}`)).toEqual([
      "sendChannel.connecting",
      "receiveChannel.connecting",
      "sendChannel.open",
    ]);
  });

  it("marks states the engine read itself", () => {
    const timeline = new Timeline(clock().now);
    timeline.reset();
    expect(timeline.state("localPeer", "connectionState", "closed", { synthetic: true })?.synthetic).toBe(
      true,
    );
  });

  it("starts afresh on reset", () => {
    const c = clock();
    const timeline = new Timeline(c.now);
    timeline.reset();
    timeline.state("sendChannel", "readyState", "open");
    c.advance(100);
    timeline.reset();
    expect(timeline.list()).toEqual([]);
    expect(timeline.state("sendChannel", "readyState", "open")?.t).toBe(0);
  });

  it("keeps a bounded number of entries and counts the dropped ones", () => {
    const timeline = new Timeline(clock().now);
    timeline.reset();
    const total = TIMELINE_LIMIT * 3 + 7;
    for (let i = 0; i < total; i++) timeline.step("session", "step", `s${i}`);
    const list = timeline.list();
    expect(list).toHaveLength(TIMELINE_LIMIT);
    expect(timeline.dropped).toBe(total - TIMELINE_LIMIT);
    expect(list.at(-1)?.value).toBe(`s${total - 1}`);
    expect(list[0]?.value).toBe(`s${total - TIMELINE_LIMIT}`);
  });
});
