// Reading the page recorder's batches: what the schema refuses (a page may forge anything), how
// events become timeline entries of one watched connection per page connection, the counters,
// and the findings drawn from what was recorded.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import type { PageBatch, RecordedChannel } from "../../../../src/engine/page/page-batch";
import { PAGE_BUFFER_WARN_BYTES, pageFindings } from "../../../../src/engine/page/page-findings";
import { PAGE_ENTRY_BUDGET, PageRecording } from "../../../../src/engine/page/page-recording";
import type { TimelineEntry } from "../../../../src/engine/watch/timeline";

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../../src/engine/page/page-batch.schema.json"), "utf8"),
);
const validate = new Ajv({ allowUnionTypes: true }).compile(schema);

const channel = (over: Partial<RecordedChannel> = {}): RecordedChannel => ({
  id: 1,
  label: "chat",
  side: "local",
  streamId: 1,
  ordered: true,
  maxRetransmits: null,
  maxPacketLifeTime: null,
  negotiated: false,
  readyState: "open",
  messagesSent: 3,
  bytesSent: 30,
  messagesReceived: 1,
  bytesReceived: 5,
  bufferedAmountPeak: 0,
  sendErrors: 0,
  lastSendError: null,
  waitsForLow: false,
  closedLocally: false,
  ...over,
});

const batch = (over: Partial<PageBatch> = {}): PageBatch => ({
  protocol: "loopback-page-recorder/1",
  startedAt: 1_764_050_000_000,
  frameUrl: "http://127.0.0.1:8000/app.html",
  events: [
    { c: 1, t: 0, s: "peer", p: "signalingState", v: "stable", r: true },
    {
      c: 1,
      t: 1,
      s: "channel:1",
      p: "readyState",
      v: "connecting",
      r: true,
      d: { label: "chat", side: "local" },
    },
    { c: 1, t: 40.5, s: "channel:1", p: "readyState", v: "open" },
    {
      c: 1,
      t: 12,
      s: "peer",
      p: "candidate",
      v: "gathered",
      d: { type: "host", protocol: "udp", family: "mdns" },
    },
  ],
  dropped: 0,
  untrackedConnections: 0,
  connections: [{ id: 1, untrackedChannels: 0, closedLocally: false, channels: [channel()] }],
  ...over,
});

describe("PageRecording", () => {
  it("turns a batch into a watched connection: entries in time order, candidates named, counters summed", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    expect(recording.ingest(batch())).toBeNull();
    const [c] = recording.connections;
    expect(c?.watched.kind).toBe("page");
    expect(
      c?.watched.timeline
        .list()
        .map((e) => `${e.t} ${e.source} ${e.property} ${e.value}${e.read ? " (read)" : ""}`),
    ).toEqual([
      "0 peer signalingState stable (read)",
      "1 channel:1 readyState connecting (read)",
      "12 peer candidate gathered host udp mdns",
      "40.5 channel:1 readyState open",
    ]);
    expect(c?.watched.counters()).toMatchObject({
      sentMessages: 3,
      sentBytes: 30,
      receivedMessages: 1,
      receivedBytes: 5,
    });
    expect(c?.watched.findings.map((f) => f.code)).toEqual(["channel-open"]);
    expect(recording.startedAt).toBe(new Date(1_764_050_000_000).toISOString());
  });

  it("turns the page's calls and configuration into typed steps with their outcomes", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    const events: PageBatch["events"] = [
      {
        c: 1,
        t: 0,
        s: "peer",
        p: "config",
        v: "",
        r: true,
        d: { servers: 1, urls: "turn:192.0.2.1:3478?transport=udp", policy: "relay", bundle: "balanced" },
      },
      {
        c: 1,
        t: 2,
        s: "peer",
        p: "call",
        v: "createOffer",
        d: { outcome: "ok", type: "offer", candidates: 0, data: true },
      },
      {
        c: 1,
        t: 3,
        s: "peer",
        p: "call",
        v: "setLocalDescription",
        d: { outcome: "ok", type: "offer", candidates: 0, data: true },
      },
      {
        c: 1,
        t: 4,
        s: "peer",
        p: "call",
        v: "addIceCandidate",
        d: { outcome: "error", error: "InvalidStateError: no remote description" },
      },
      { c: 1, t: 5, s: "peer", p: "call", v: "addIceCandidate", d: { outcome: "ok", end: true } },
      { c: 1, t: 6, s: "peer", p: "call", v: "eval", d: { outcome: "ok" } },
      {
        c: 1,
        t: 7,
        s: "peer",
        p: "error",
        v: "candidate error",
        d: { code: 401, text: "Unauthorized", url: "turn:192.0.2.1:3478?transport=udp" },
      },
    ];
    expect(validate(batch({ events }))).toBe(true);
    recording.ingest(
      batch({ events, connections: [{ id: 1, untrackedChannels: 0, closedLocally: false, channels: [] }] }),
    );
    const entries = recording.connections[0]?.watched.timeline.list() ?? [];
    expect(entries.map((e) => `${e.t} ${e.kind} ${e.value}`)).toEqual([
      "0 configuration configuration",
      "2 offer-created offer created",
      "3 local-description-set local description set (offer)",
      "4 call-failed addIceCandidate() failed",
      "5 end-of-candidates end of candidates added",
      "7 candidate-error candidate error 401",
    ]);
    expect(entries[0]?.detail).toEqual({
      servers: 1,
      urls: "turn:192.0.2.1:3478?transport=udp",
      policy: "relay",
      bundle: "balanced",
    });
    expect(entries[2]?.detail).toEqual({ type: "offer", candidates: 0, data: true });
    expect(entries[3]?.detail).toEqual({
      method: "addIceCandidate",
      error: "InvalidStateError: no remote description",
    });
  });

  it("ends the connections of a document that went away, at that moment, instead of leaving them 'connected'", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    recording.ingest(batch({ startedAt: Date.now() - 5000 }));
    const [c] = recording.connections;
    expect(c?.watched.live).toBe(true);
    recording.documentLeft();
    expect(c?.watched.live).toBe(false);
    const last = c?.watched.timeline.list().at(-1);
    expect(last?.kind).toBe("document-left");
    expect(last?.t).toBeGreaterThanOrEqual(5000);
  });

  it("refuses a start time no date can have, and a report of what it did take never throws", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    expect(recording.ingest(batch({ startedAt: 9e15 }))).toMatch(/is not the recorder's/);
    expect(recording.startedAt).toBeNull();
    // Just inside what the schema takes, and still a date.
    expect(recording.ingest(batch({ startedAt: 8.64e15 }))).toBeNull();
    expect(recording.startedAt).toBe(new Date(8.64e15).toISOString());
  });

  it("takes each numbered event once, though the recorder sends it again until acknowledged", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    const numbered = batch().events.map((e, i) => ({ ...e, n: i + 1 }));
    recording.ingest(batch({ events: numbered.slice(0, 2) }));
    expect(recording.acknowledged).toBe(2);
    // The answer to the next drain was late: the recorder sends the first two again with the rest.
    recording.ingest(batch({ events: numbered }));
    expect(recording.acknowledged).toBe(4);
    expect(recording.connections[0]?.watched.timeline.list()).toHaveLength(4);
  });

  it("keeps each frame's connections apart: every frame's recorder counts from 1", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    recording.ingest(batch());
    recording.ingest(batch({ frameUrl: "http://127.0.0.1:8000/frame.html" }));
    recording.ingest(batch());
    expect(recording.connections.map((c) => [c.id, c.recorderId, c.frameUrl])).toEqual([
      [1, 1, "http://127.0.0.1:8000/app.html"],
      [2, 1, "http://127.0.0.1:8000/frame.html"],
    ]);
  });

  it.each([
    ["another protocol", { ...batch(), protocol: "evil/1" }],
    ["an extra field", { ...batch(), script: "alert(1)" }],
    ["a huge string", { ...batch(), frameUrl: "x".repeat(10_000) }],
    ["too many events", { ...batch(), events: Array.from({ length: 2001 }, () => batch().events[0]) }],
    ["an unknown source", { ...batch(), events: [{ c: 1, t: 0, s: "<img>", p: "state", v: "x" }] }],
    [
      "a negative count",
      batch({
        connections: [
          { id: 1, untrackedChannels: 0, closedLocally: false, channels: [channel({ bytesSent: -1 })] },
        ],
      }),
    ],
    ["not an object", "drain"],
  ])("refuses %s, uses nothing of it, and says so", (_what, data) => {
    const recording = new PageRecording(validate);
    const refusals: string[] = [];
    recording.events.on("refused", (why) => refusals.push(why));
    expect(recording.ingest(data)).toMatch(/is not the recorder's/);
    expect(recording.connections).toEqual([]);
    expect(recording.refusedBatches).toBe(1);
    expect(refusals).toHaveLength(1);
  });
});

const entries = (...list: [number, string, string, string][]): TimelineEntry[] =>
  list.map(([t, source, property, value]) => ({
    t,
    source: source as TimelineEntry["source"],
    property,
    value,
  }));
const negotiated = entries(
  [0, "peer", "signalingState", "stable"],
  [1, "peer", "signalingState", "have-local-offer"],
  [5, "peer", "signalingState", "stable"],
);
const codes = (facts: Parameters<typeof pageFindings>[0]) =>
  pageFindings(facts).map((f) => `${f.level} ${f.code}`);

describe("pageFindings", () => {
  it("a channel that never opened names the stage it stopped at", () => {
    const closed = channel({ readyState: "closed" });
    const ended = entries([3000, "peer", "connectionState", "closed"]);
    // The page closed the connection itself; what it recorded until then differs per case.
    const closedAfter = (recorded: TimelineEntry[]) => ({
      entries: recorded,
      channels: [closed],
      closedLocally: true,
      nowT: 0,
      stats: null,
    });
    expect(
      codes(closedAfter([...entries([0, "peer", "signalingState", "have-local-offer"]), ...ended])),
    ).toEqual(["fail page-channel-not-opened"]);
    const [ice] = pageFindings(
      closedAfter([...negotiated, ...entries([2, "peer", "iceConnectionState", "checking"]), ...ended]),
    );
    expect(ice?.message).toMatch(
      /ICE never connected \(last ICE state "checking", 0 local candidates gathered\)/,
    );
    const dtls = entries([6, "peer", "iceConnectionState", "connected"], [7, "dtls", "state", "failed"]);
    expect(codes(closedAfter([...negotiated, ...dtls, ...ended]))).toEqual(["fail dtls-failed"]);
    const sctp = entries([6, "peer", "iceConnectionState", "connected"], [7, "dtls", "state", "connected"]);
    expect(codes(closedAfter([...negotiated, ...sctp, ...ended]))).toEqual(["fail sctp-failed"]);
  });

  it("says nothing of a channel still connecting on a live connection", () => {
    expect(
      codes({
        entries: negotiated,
        channels: [channel({ readyState: "connecting" })],
        closedLocally: false,
        nowT: 0,
        stats: null,
      }),
    ).toEqual([]);
  });

  it("refused sends, a send buffer the page never drains on bufferedamountlow, and a remote close", () => {
    const opened = [...negotiated, ...entries([9, "channel:1", "readyState", "open"])];
    const busy = channel({
      sendErrors: 2,
      lastSendError: "TypeError: too large",
      bufferedAmountPeak: PAGE_BUFFER_WARN_BYTES + 1,
      readyState: "closed",
    });
    expect(codes({ entries: opened, channels: [busy], closedLocally: false, nowT: 0, stats: null })).toEqual([
      "pass channel-open",
      "fail page-send-refused",
      "warn page-send-buffer-high",
      "warn page-channel-closed-remotely",
    ]);
    // The page that waits for bufferedamountlow, and closes its own channel, gets neither warning.
    expect(
      codes({
        entries: opened,
        channels: [{ ...busy, sendErrors: 0, waitsForLow: true, closedLocally: true }],
        closedLocally: false,
        nowT: 0,
        stats: null,
      }),
    ).toEqual(["pass channel-open"]);
  });

  it("ICE that failed after connecting is its own finding", () => {
    const failed = [
      ...negotiated,
      ...entries(
        [6, "peer", "iceConnectionState", "connected"],
        [900, "peer", "iceConnectionState", "failed"],
      ),
    ];
    expect(
      pageFindings({ entries: failed, channels: [], closedLocally: false, nowT: 0, stats: null })[0]?.message,
    ).toMatch(/after it had connected/);
  });
});

describe("PageRecording under a page that names frame after frame", () => {
  it("keeps what it counts of untracked connections bounded, and still counts them", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    for (let i = 0; i < 500; i++)
      recording.ingest(
        batch({
          frameUrl: `http://127.0.0.1:8000/f${i}`,
          events: [],
          connections: [],
          untrackedConnections: 1,
        }),
      );
    // 100 frames apart, the other 400 in one entry: at least what was seen, never an endless list.
    expect(recording.untrackedConnections).toBe(101);
  });
});

/** A hundred connections, each with nothing yet, as a batch lists them. */
const hundredConnections = () =>
  Array.from({ length: 100 }, (_, i) => ({
    id: i + 1,
    channels: [],
    untrackedChannels: 0,
    closedLocally: false,
  }));

describe("PageRecording past the connections it keeps", () => {
  it("counts each connection it had no room for once, and stops counting at its bound", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    const connections = hundredConnections();
    for (let frame = 0; frame < 5; frame++)
      for (let again = 0; again < 2; again++)
        recording.ingest(batch({ frameUrl: `http://127.0.0.1:8000/f${frame}`, events: [], connections }));
    expect(recording.connections).toHaveLength(300);
    expect(recording.notShownConnections).toEqual({ count: 200, atLeast: false, shownAtMost: 300 });
    for (let frame = 5; frame < 120; frame++)
      recording.ingest(batch({ frameUrl: `http://127.0.0.1:8000/f${frame}`, events: [], connections }));
    expect(recording.notShownConnections).toEqual({ count: 10_000, atLeast: true, shownAtMost: 300 });
    recording.begin("http://127.0.0.1:8000");
    expect(recording.notShownConnections.count).toBe(0);
  });
});

describe("PageRecording under a page that fills every timeline", () => {
  it("keeps all its connections' entries within the budget together, and counts what it let go", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    const connections = hundredConnections();
    let n = 0;
    for (let drain = 0; drain < 90; drain++) {
      const events = Array.from({ length: 2000 }, (_, i) => ({
        n: ++n,
        c: 1 + (i % 100),
        t: (n * 7919) % 100_000,
        s: "peer",
        p: "connectionState",
        v: `state-${n}`,
      }));
      recording.ingest(batch({ frameUrl: `http://127.0.0.1:8000/f${drain % 3}`, events, connections }));
    }
    const sizes = recording.connections.map((c) => c.watched.timeline.size);
    expect(recording.connections).toHaveLength(300);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(PAGE_ENTRY_BUDGET);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2000);
    // Every entry taken is kept or counted as let go.
    expect(sizes.reduce((a, b) => a + b, 0) + recording.droppedEntries).toBe(n);
  });
});

describe("PageRecording keeps no page-given text it has no use for", () => {
  it("a state entry keeps no details; a channel's first read keeps its label and side only", () => {
    const recording = new PageRecording(validate);
    recording.begin("http://127.0.0.1:8000");
    recording.ingest(
      batch({
        events: [
          {
            c: 1,
            t: 1,
            s: "channel:1",
            p: "readyState",
            v: "connecting",
            r: true,
            d: { label: "chat", side: "local", extra: "x".repeat(200) },
          },
          { c: 1, t: 2, s: "peer", p: "connectionState", v: "new", d: { extra: "x".repeat(200) } },
        ],
      }),
    );
    const entries = recording.connections[0]?.watched.timeline.list() ?? [];
    expect(entries.map((e) => e.detail)).toEqual([{ label: "chat", side: "local" }, undefined]);
  });
});
