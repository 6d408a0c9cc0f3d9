// The throughput runner against a fake channel pair: backpressure bounds, integrity counts under
// loss, reordering and damage, and every way a run can be cut short.
import { describe, expect, it } from "vitest";
import type { ChannelSource } from "../../../../src/engine/measure/run-phase";
import {
  DRAIN_MAX_MS,
  DRAIN_PROJECT_EVERY_MS,
  type ThroughputEvents,
} from "../../../../src/engine/measure/throughput";
import {
  resolveThroughputSettings,
  type ThroughputOptions,
} from "../../../../src/engine/measure/throughput-options";
import { measureThroughput } from "../../../../src/engine/measure/throughput-run";
import { fakeSource } from "../../fake-channel";

function run(options: ThroughputOptions, network: Parameters<typeof fakeSource>[0], maxMessageSize?: number) {
  const { source, session, channels } = fakeSource(network, maxMessageSize);
  const stop = new AbortController();
  // Every event as { type, payload }, in the order the run emitted them.
  type Recorded = {
    [K in keyof ThroughputEvents]: { type: K; payload: ThroughputEvents[K] };
  }[keyof ThroughputEvents];
  const events: Recorded[] = [];
  const settings = resolveThroughputSettings(options, source.maxMessageSize);
  const result = measureThroughput(source, settings, {
    signal: stop.signal,
    events: { emit: (type, payload) => events.push({ type, payload } as Recorded) },
    label: "throughput-1",
  });
  return { result, stop, session, channels, events, settings };
}

const flipByte = (at: number) => (data: string | ArrayBuffer) => {
  if (typeof data === "string")
    return [`${data.slice(0, at)}${data[at] === "#" ? "$" : "#"}${data.slice(at + 1)}`];
  const copy = data.slice(0);
  const bytes = new Uint8Array(copy);
  bytes[at] = (bytes[at] as number) ^ 0xff;
  return [copy];
};

describe("throughput runner (fake channels)", () => {
  it("delivers a total amount intact and counts exactly what send() took", async () => {
    const { result, channels } = run({ messageSize: 1000, totalBytes: 50_000 }, { perTick: 7 });
    const r = await result;
    expect(r).toMatchObject({
      messagesSent: 50,
      bytesSent: 50_000,
      messages: 50,
      bytes: 50_000,
      lost: 0,
      outOfOrder: 0,
      corrupted: 0,
    });
    expect(r.cancelled).toBe(false);
    expect(channels[0]?.sentMessages).toBe(50);
    expect(channels.every((c) => c.readyState === "closed")).toBe(true);
  });

  it("never queues more than the high-water mark plus one message", async () => {
    const { result, channels, settings } = run({ messageSize: 65_536, durationMs: 150 }, { perTick: 4 });
    const r = await result;
    expect(r.messagesSent).toBeGreaterThan(settings.highWaterMark / 65_536);
    expect(channels[0]?.maxQueued).toBeLessThanOrEqual(settings.highWaterMark + 65_536);
    expect(r.lost + r.corrupted).toBe(0);
  });

  it("stays under the 16 MiB send-queue limit with the largest messages allowed", async () => {
    const size = 16 * 1024 * 1024 - 1024;
    const { result, channels } = run({ messageSize: size, totalBytes: 3 * size }, { perTick: 1 }, 2 ** 30);
    const r = await result;
    expect(r.messages).toBe(3);
    expect(channels[0]?.maxQueued).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it("counts a damaged message as corrupted, not delivered and not lost", async () => {
    const { result } = run(
      { messageSize: 1027, totalBytes: 20 * 1027 },
      { perTick: 3, transform: (i, d) => (i === 5 ? flipByte(700)(d) : [d]) },
    );
    expect(await result).toMatchObject({
      messagesSent: 20,
      messages: 19,
      corrupted: 1,
      lost: 0,
      bytes: 19 * 1027,
    });
  });

  it("counts a damaged text message as corrupted", async () => {
    const { result } = run(
      { messageSize: 300, totalBytes: 3000, binary: false },
      { perTick: 3, transform: (i, d) => (i === 2 ? flipByte(150)(d) : [d]) },
    );
    expect(await result).toMatchObject({ messagesSent: 10, messages: 9, corrupted: 1, lost: 0 });
  });

  it("counts dropped messages as lost once a partially reliable run has waited for stragglers", async () => {
    const { result } = run(
      { messageSize: 100, totalBytes: 1000, maxRetransmits: 0, ordered: false },
      { perTick: 2, transform: (i, d) => (i === 3 || i === 9 ? [] : [d]) },
    );
    expect(await result).toMatchObject({
      messagesSent: 10,
      messages: 8,
      lost: 2,
      outOfOrder: 0,
      cancelled: false,
    });
  });

  it("counts a late message as out of order and a repeated one as duplicated", async () => {
    let held: string | ArrayBuffer | undefined;
    const { result } = run(
      { messageSize: 64, totalBytes: 640, ordered: false },
      {
        perTick: 1,
        transform: (i, d) => {
          if (i === 2) {
            held = d;
            return [];
          }
          if (i === 4 && held) return [d, held];
          if (i === 6) return [d, d];
          return [d];
        },
      },
    );
    expect(await result).toMatchObject({ messages: 10, outOfOrder: 1, duplicated: 1, lost: 0, corrupted: 0 });
  });

  it("Stop ends the run promptly with a partial, cancelled result and nothing left queued", async () => {
    const { result, stop, channels, events } = run({ messageSize: 1024, durationMs: 60_000 }, { perTick: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop.abort();
    const r = await result;
    expect(r).toMatchObject({ cancelled: true, cancelReason: "stopped" });
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.messages + r.lost + r.corrupted + r.inFlight).toBe(r.messagesSent);
    expect(channels.every((c) => c.readyState === "closed" && c.queuedMessages === 0)).toBe(true);
    expect(events.filter((e) => e.type === "throughput-progress").length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: "throughput-result" });
  });

  it("the session ending cancels the run", async () => {
    const { result, session } = run({ messageSize: 1024, durationMs: 60_000 }, { perTick: 5 });
    setTimeout(() => session.abort(), 50);
    expect(await result).toMatchObject({ cancelled: true, cancelReason: "the session ended" });
  });

  it("a channel closing under the run cancels it", async () => {
    const { result, channels } = run({ messageSize: 1024, durationMs: 60_000 }, { perTick: 5 });
    setTimeout(() => channels[1]?.closeFromPeer(), 50);
    expect(await result).toMatchObject({ cancelled: true, cancelReason: "the run's channel closed" });
  });

  it("reports progress per interval, not per message", async () => {
    const { result, events } = run({ messageSize: 1024, durationMs: 600 }, { perTick: 20 });
    const r = await result;
    const progress = events.filter((e) => e.type === "throughput-progress").length;
    expect(progress).toBeGreaterThan(0);
    expect(progress).toBeLessThan(r.messagesSent / 10);
    expect(r.intervals.reduce((sum, i) => sum + i.bytes, 0)).toBe(r.bytes);
  });
});

/** 200 ms of 1 KiB messages on `source`, with nobody listening to its events. */
function shortReliableRun(source: ChannelSource, label: string) {
  const settings = resolveThroughputSettings({ messageSize: 1024, durationMs: 200 }, source.maxMessageSize);
  return measureThroughput(source, settings, {
    signal: new AbortController().signal,
    events: { emit: () => undefined },
    label,
  });
}

describe("throughput runner when the connection is lost", () => {
  it("ends at once with connectionLost and the reason, when the session reports the loss", async () => {
    const { source, connection } = fakeSource({ perTick: 5 });
    const settings = resolveThroughputSettings(
      { messageSize: 1024, durationMs: 60_000 },
      source.maxMessageSize,
    );
    const running = measureThroughput(source, settings, {
      signal: new AbortController().signal,
      events: { emit: () => undefined },
      label: "throughput-lost",
    });
    setTimeout(() => connection.abort("the connection failed (ICE found no working path any more)"), 50);
    expect(await running).toMatchObject({
      cancelled: true,
      connectionLost: true,
      cancelReason: "the connection failed (ICE found no working path any more)",
    });
  });

  it("calls a reliable channel that delivers nothing for seconds a lost connection, not lost data", async () => {
    // Everything after the 20th message vanishes, as on a link that died.
    const { source } = fakeSource({ perTick: 5, transform: (i, data) => (i < 20 ? [data] : []) });
    const result = await shortReliableRun(source, "throughput-stall");
    expect(result).toMatchObject({ cancelled: true, connectionLost: true, messages: 20 });
    expect(result.cancelReason).toMatch(/^nothing arrived for [\d.]+ s with data still owed$/);
  }, 15_000);

  it("keeps waiting while the connection still receives bytes, and calls it lost once those stop", async () => {
    // Nothing past the 20th message arrives and the queue empties at once, but the transport's
    // counter climbs for 7 s (a slow link carrying one large message) and then stops.
    const started = Date.now();
    let bytes = 0;
    const { source } = fakeSource({
      perTick: 5,
      transform: (i, data) => (i < 20 ? [data] : []),
      pathBytes: () => {
        // Fast enough to drain what is owed well within the bound: the run keeps waiting.
        if (Date.now() - started < 7000) bytes += 1_000_000;
        return bytes;
      },
    });
    const result = await shortReliableRun(source, "throughput-slow-path");
    expect(result).toMatchObject({ cancelled: true, connectionLost: true, messages: 20 });
    // Without the counter the run would have ended about 5 s in (the test above); with it, the
    // bound counts from the last read that saw the counter climb (read once a second, after 6 s).
    expect(Date.now() - started).toBeGreaterThan(6000 + 5000);
  }, 25_000);

  it("stops waiting at once when, at the path's rate, not one more message could arrive within the bound", async () => {
    // Nothing past the 20th message arrives, while the transport's counter climbs at 1 kB/s: the
    // next 64 KiB message would take over a minute.
    const started = Date.now();
    const { source } = fakeSource({
      perTick: 5,
      transform: (i, data) => (i < 20 ? [data] : []),
      pathBytes: () => Date.now() - started,
    });
    const settings = resolveThroughputSettings(
      { messageSize: 65_536, durationMs: 200 },
      source.maxMessageSize,
    );
    const result = await measureThroughput(source, settings, {
      signal: new AbortController().signal,
      events: { emit: () => undefined },
      label: "throughput-hopeless",
    });
    expect(result).toMatchObject({ cancelled: false, connectionLost: false, messages: 20 });
    expect(result.drainCutMs).toBeLessThan(DRAIN_PROJECT_EVERY_MS);
    expect(result.drainProjectedMs).toBeGreaterThan(DRAIN_MAX_MS);
    expect(result.pathBytesPerSecond).toBeGreaterThan(700);
    expect(result.pathBytesPerSecond).toBeLessThan(1300);
    expect(result.inFlight).toBe(result.messagesSent - 20);
  });
});
