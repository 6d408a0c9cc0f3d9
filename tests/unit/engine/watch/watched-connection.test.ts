// A watched connection: one timeline, counters and findings whatever produced it, announced by events.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TimelineEntry } from "../../../../src/engine/watch/timeline";
import type { Counters } from "../../../../src/engine/watch/traffic-counters";
import { WatchedConnection } from "../../../../src/engine/watch/watched-connection";

function clock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("WatchedConnection", () => {
  it("records states once per change and steps always, each announced as it happens", () => {
    const time = clock();
    const watched = new WatchedConnection("loopback", "Loopback", time.now);
    const heard: TimelineEntry[] = [];
    watched.events.on("timeline", (entry) => heard.push(entry));
    watched.begin();
    watched.state("sendChannel", "readyState", "connecting");
    time.advance(60);
    watched.state("sendChannel", "readyState", "open");
    watched.state("sendChannel", "readyState", "open");
    watched.step("session", "open", { maxMessageSize: 65536 });
    expect(heard.map((e) => [e.t, e.source, e.value])).toEqual([
      [0, "sendChannel", "connecting"],
      [60, "sendChannel", "open"],
      [60, "session", "open"],
    ]);
    expect(watched.timeline.list()).toEqual(heard);
  });

  it("starts each recording empty and says so", () => {
    const watched = new WatchedConnection("page", "pc 1", clock().now);
    watched.step("session", "connect", { timeoutMs: 10000 });
    watched.sent(10);
    watched.setFindings([{ level: "pass", code: "channel-open", message: "opened" }]);
    const resets: WatchedConnection[] = [];
    const findings: unknown[] = [];
    watched.events.on("reset", (w) => resets.push(w));
    watched.events.on("findings", (f) => findings.push(f));
    watched.begin();
    expect(resets).toEqual([watched]);
    expect(findings).toEqual([[]]);
    expect(watched.timeline.list()).toEqual([]);
    expect(watched.counters().sentMessages).toBe(0);
    expect(watched.findings).toEqual([]);
  });

  it("counts traffic and publishes rates while sampling, then stops", () => {
    vi.useFakeTimers();
    const time = clock();
    const watched = new WatchedConnection("loopback", "Loopback", time.now);
    const published: Counters[] = [];
    watched.events.on("counters", (c) => published.push(c));
    watched.startSampling();
    watched.sent(1000);
    watched.received(1000);
    time.advance(250);
    vi.advanceTimersByTime(250);
    expect(published.at(-1)).toMatchObject({ sentMessages: 1, sentBytes: 1000, receivedBytes: 1000 });
    expect(published.at(-1)?.receiveRate.bytesPerSecond).toBe(4000);
    watched.stopSampling();
    const count = published.length;
    vi.advanceTimersByTime(1000);
    expect(published.length).toBe(count);
  });

  it("hands out copies of its findings", () => {
    const watched = new WatchedConnection("ice-check", "stun", clock().now);
    watched.setFindings([{ level: "warn", code: "slow-open", message: "slow" }]);
    watched.findings.pop();
    expect(watched.findings).toHaveLength(1);
  });
});
