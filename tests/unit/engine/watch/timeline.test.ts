import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STEPS } from "../../../../src/engine/watch/steps";
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
    const entry = timeline.step("localPeer", "offer-created");
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
    for (let i = 0; i < total; i++) timeline.step("session", "gathering-complete", { ms: i });
    const list = timeline.list();
    expect(list).toHaveLength(TIMELINE_LIMIT);
    expect(timeline.dropped).toBe(total - TIMELINE_LIMIT);
    expect(list.at(-1)?.detail?.ms).toBe(total - 1);
    expect(list[0]?.detail?.ms).toBe(total - TIMELINE_LIMIT);
  });
});

describe("Timeline stamped with the events' own times", () => {
  it("takes the event's time over the handler's, keeps time order, and marks reads", () => {
    let now = 1000;
    const timeline = new Timeline(() => now);
    timeline.reset();
    timeline.state("localPeer", "connectionState", "new", { read: true });
    now = 1050;
    // The handler runs at 1050, but the browser changed state at 1012.
    timeline.state("localPeer", "connectionState", "connecting", { at: 1012 });
    now = 1080;
    timeline.state("sendChannel", "readyState", "open", { at: 1070 });
    // A late handler for an earlier event lands before the later one.
    timeline.state("remotePeer", "connectionState", "connected", { at: 1060 });
    expect(timeline.list().map((e) => [e.t, e.source, e.value, e.read ?? false])).toEqual([
      [0, "localPeer", "new", true],
      [12, "localPeer", "connecting", false],
      [60, "remotePeer", "connected", false],
      [70, "sendChannel", "open", false],
    ]);
    expect(timeline.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("never stamps before t = 0", () => {
    let now = 500;
    const timeline = new Timeline(() => now);
    timeline.reset();
    now = 510;
    expect(timeline.state("localPeer", "signalingState", "stable", { at: 400 })?.t).toBe(0);
  });
});

describe("Timeline steps", () => {
  it("carry their kind and data; the words are made from them", () => {
    const timeline = new Timeline(clock().now);
    timeline.reset();
    const entry = timeline.step("localPeer", "candidate-gathered", {
      type: "host",
      protocol: "udp",
      family: "mdns",
      mdns: true,
      loopback: false,
    });
    expect(entry).toMatchObject({
      kind: "candidate-gathered",
      property: "candidate",
      value: "gathered host udp mdns",
    });
    expect(entry.detail).toEqual({
      type: "host",
      protocol: "udp",
      family: "mdns",
      mdns: true,
      loopback: false,
    });
    expect(timeline.step("session", "gathering-timed-out", { timeoutMs: 8000 }).value).toBe(
      "gathering not complete after 8 s",
    );
    expect(timeline.step("remotePeer", "answer-created")).not.toHaveProperty("detail");
  });

  it("every kind is in the report schema's list, and nothing else is", () => {
    const schema = JSON.parse(readFileSync("src/report/report.schema.json", "utf8"));
    expect(schema.definitions.timelineEntry.properties.kind.enum).toEqual(Object.keys(STEPS));
  });
});
