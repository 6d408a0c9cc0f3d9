// Reading a dump someone sent: small hand-made dumps in the shape Chromium 156 writes them (a
// webrtc-internals dump, gzip or plain, and an rtcstats dump), each bug class read into the same
// findings the page's rules give, and malformed and hostile files refused or shown safely, with no
// credential anywhere in what is read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { MAX_DUMP_BYTES, readDumpFile } from "../../../../src/engine/dump/dump-file";
import { openedDump } from "../../../../src/engine/dump/dump-watch";

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../../src/engine/dump/internals-dump.schema.json"), "utf8"),
);
const validate = new Ajv({ allowUnionTypes: true }).compile(schema);

const T = 1_796_549_967_000;
const SECRET = "dump-Secret-Credential-4d2a";
const sdp = (candidates: number) =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n${"a=candidate:1 1 udp 2113937151 x.local 5000 typ host\r\n".repeat(candidates)}`;
const description = (type: string, candidates = 0) => JSON.stringify({ type, sdp: sdp(candidates) });
const candidate = (type = "host") =>
  JSON.stringify({
    sdpMid: "0",
    sdpMLineIndex: 0,
    candidate: `candidate:1 1 udp 2113937151 a.local 5000 typ ${type}`,
  });
const log = (...entries: [string, string, number][]) =>
  entries.map(([type, value, dt]) => ({ type, value, timestamp: T + dt }));
const series = (statsType: string, values: unknown[]) => ({
  statsType,
  startTime: "",
  endTime: "",
  values: JSON.stringify(values),
});

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const dumpOf = (connections: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  encode({
    getUserMedia: [],
    PeerConnections: connections,
    UserAgent: "Mozilla/5.0 HeadlessChrome/156.0.0.0",
    timestamp: T + 20_000,
    ...extra,
  });
const open = async (bytes: Uint8Array) =>
  openedDump("webrtc_internals_dump.txt", await readDumpFile(bytes, validate));
const codes = (o: Awaited<ReturnType<typeof open>>) =>
  o.connections.map((c) => c.watched.findings.map((f) => f.code));

/** An offerer whose answer came back without candidates and who never added one: the commonest bug. */
const neverOpens = {
  url: `http://127.0.0.1:8000/call.html?token=${SECRET}`,
  rtcConfiguration: JSON.stringify({
    iceServers: [
      { urls: [`turn:lab:${SECRET}@192.0.2.1:3478?transport=udp`], username: "lab", credential: SECRET },
    ],
  }),
  updateLog: log(
    ["createDataChannel", JSON.stringify({ label: "orders", ordered: true }), 0],
    ["createOffer", "{}", 1],
    ["createOfferOnSuccess", description("offer"), 2],
    ["setLocalDescription", description("offer"), 3],
    ["onsignalingstatechange", '"have-local-offer"', 4],
    ["setLocalDescriptionOnSuccess", "", 5],
    ["onicegatheringstatechange", '"gathering"', 6],
    ["setRemoteDescription", description("answer"), 10],
    ["onsignalingstatechange", '"stable"', 11],
    ["setRemoteDescriptionOnSuccess", "", 12],
    ["onicecandidate", candidate(), 20],
    ["onicegatheringstatechange", '"complete"', 120],
    ["close", "", 3000],
  ),
  stats: {},
};

describe("a webrtc-internals dump", () => {
  it("reads each connection into states, calls, candidates and the page's findings", async () => {
    const opened = await open(dumpOf({ "9-1": neverOpens }));
    const [c] = opened.connections;
    expect(opened.source).toMatchObject({
      format: "webrtc-internals",
      userAgent: "Mozilla/5.0 HeadlessChrome/156.0.0.0",
      createdAt: new Date(T + 20_000).toISOString(),
      startedAt: new Date(T).toISOString(),
    });
    expect(c?.frameUrl).toBe("http://127.0.0.1:8000/call.html");
    const kinds = c?.watched.timeline.list().flatMap((e) => (e.kind ? [e.kind] : []));
    expect(kinds).toEqual([
      "configuration",
      "offer-created",
      "local-description-set",
      "remote-description-set",
      "candidate-gathered",
    ]);
    const states = c?.watched.timeline
      .list()
      .filter((e) => e.source === "peer" && e.property === "signalingState")
      .map((e) => e.value);
    expect(states).toEqual(["stable", "have-local-offer", "stable", "closed"]);
    expect(c?.channels).toMatchObject([{ label: "orders", side: "local", readyState: "closed" }]);
    expect(c?.closedLocally).toBe(true);
    expect(codes(opened)).toEqual([["page-no-remote-candidates", "page-channel-not-opened"]]);
  });

  it("never keeps a credential: not from the page's URL, the configuration or an error's URL", async () => {
    const withError = {
      ...neverOpens,
      updateLog: [
        ...neverOpens.updateLog,
        {
          type: "onicecandidateerror",
          value: JSON.stringify({
            url: `turn:lab:${SECRET}@192.0.2.1:3478`,
            error_code: 401,
            error_text: "Unauthorized.",
          }),
          timestamp: T + 50,
        },
      ],
    };
    const opened = await open(dumpOf({ "9-1": withError }));
    expect(JSON.stringify(opened)).not.toContain(SECRET);
    const config = opened.connections[0]?.watched.timeline.list().find((e) => e.kind === "configuration");
    expect(config?.detail?.urls).toBe("turn:192.0.2.1:3478?transport=udp");
    expect(codes(opened)[0]).toContain("page-turn-refused");
  });

  it("reads a failed call with the browser's words, and candidates added before the remote description", async () => {
    const opened = await open(
      dumpOf({
        "9-2": {
          url: "http://127.0.0.1:8000/early.html",
          rtcConfiguration: "{}",
          updateLog: log(
            ["addIceCandidate", candidate(), 0],
            ["addIceCandidateFailed", "The remote description was null", 1],
            ["addIceCandidate", candidate(), 2],
            ["addIceCandidateFailed", "The remote description was null", 3],
            ["setRemoteDescriptionOnFailure", "Failed to parse SessionDescription. Expect line: o=", 900],
          ),
        },
      }),
    );
    const failed = opened.connections[0]?.watched.findings.filter((f) => f.code === "page-call-failed");
    expect(failed?.map((f) => f.message).join(" ")).toMatch(
      /addIceCandidate\(\) failed 2 times.*remote description was null/,
    );
    expect(failed?.map((f) => f.message).join(" ")).toMatch(
      /setRemoteDescription\(\) failed once.*Expect line: o=/,
    );
  });

  it("says an offer was never answered only once the dump was made long enough after it", async () => {
    const unanswered = {
      url: "http://127.0.0.1:8000/u.html",
      updateLog: log(
        ["createOfferOnSuccess", description("offer"), 0],
        ["setLocalDescription", description("offer"), 1],
        ["onsignalingstatechange", '"have-local-offer"', 2],
        ["setLocalDescriptionOnSuccess", "", 3],
      ),
    };
    expect(codes(await open(dumpOf({ a: unanswered }, { timestamp: T + 2000 })))).toEqual([[]]);
    expect(codes(await open(dumpOf({ a: unanswered }, { timestamp: T + 11_000 })))).toEqual([
      ["page-signaling-stalled"],
    ]);
  });

  it("reads channels' states and counts and the pair in use from the statistics series", async () => {
    const opened = await open(
      dumpOf({
        "9-1": {
          url: "http://127.0.0.1:8000/chat.html",
          updateLog: log(
            ["createDataChannel", JSON.stringify({ label: "chat", ordered: false, maxRetransmits: 0 }), 0],
            ["oniceconnectionstatechange", '"checking"', 10],
            ["oniceconnectionstatechange", '"connected"', 20],
          ),
          stats: {
            "D1-label": series("data-channel", ["chat", "chat"]),
            "D1-state": series("data-channel", ["connecting", "open"]),
            "D1-dataChannelIdentifier": series("data-channel", [1, 1]),
            "D1-messagesSent": series("data-channel", [0, 12]),
            "D1-bytesSent": series("data-channel", [0, 1200]),
            "D1-timestamp": series("data-channel", [T + 1000, T + 2000]),
            "CP1-state": series("candidate-pair", ["succeeded"]),
            "CP1-nominated": series("candidate-pair", [true]),
            "CP1-localCandidateId": series("candidate-pair", ["L1"]),
            "CP1-remoteCandidateId": series("candidate-pair", ["R1"]),
            "CP1-currentRoundTripTime": series("candidate-pair", [0.004]),
            "L1-candidateType": series("local-candidate", ["host"]),
            "L1-protocol": series("local-candidate", ["udp"]),
            "R1-candidateType": series("remote-candidate", ["srflx"]),
            "T01-dtlsState": series("transport", ["new", "connected"]),
            "T01-selectedCandidatePairId": series("transport", ["", "CP1"]),
            "T01-timestamp": series("transport", [T + 1000, T + 2000]),
          },
        },
      }),
    );
    const c = opened.connections[0];
    expect(c?.channels[0]).toMatchObject({
      label: "chat",
      ordered: false,
      maxRetransmits: 0,
      streamId: 1,
      readyState: "open",
      messagesSent: 12,
      bytesSent: 1200,
    });
    expect(c?.stats?.selected).toEqual({ local: "host", remote: "srflx", protocol: "udp", rttMs: 4 });
    const open2000 = c?.watched.timeline.list().find((e) => e.source === "channel:1" && e.value === "open");
    expect(open2000).toMatchObject({ t: 2000, read: true });
    expect(c?.watched.findings.find((f) => f.code === "channel-open")?.message).toMatch(
      /was open at .* statistics sample/,
    );
    expect(c?.watched.timeline.list().some((e) => e.source === "dtls" && e.value === "connected")).toBe(true);
    expect(c?.watched.counters().sentMessages).toBe(12);
    const switched = c?.watched.timeline.list().filter((e) => e.kind === "pair-selected");
    expect(switched?.map((e) => [e.t, e.value])).toEqual([
      [2000, "pair in use: host ↔ srflx UDP (a statistics sample)"],
    ]);
  });

  it("says nothing of whether a channel without statistics opened, and says why in a note", async () => {
    const opened = await open(
      dumpOf({
        "9-1": {
          url: "http://127.0.0.1:8000/chat.html",
          updateLog: log(
            ["createDataChannel", JSON.stringify({ label: "chat" }), 0],
            ["onsignalingstatechange", '"have-local-offer"', 4],
            ["onsignalingstatechange", '"stable"', 11],
            ["oniceconnectionstatechange", '"connected"', 20],
            ["close", "", 300],
          ),
        },
      }),
    );
    expect(codes(opened)).toEqual([[]]);
    expect(opened.notes.join(" ")).toMatch(/no statistics in the dump/);
  });

  it("opens the gzip file Chrome saves by default", async () => {
    const plain = dumpOf({ "9-1": neverOpens });
    const opened = await open(gzipSync(plain));
    expect(codes(opened)).toEqual(codes(await open(plain)));
  });
});

describe("a dump of an older or newer Chrome, or with connections made before it was opened", () => {
  it("says what it lacks in notes instead of failing", async () => {
    const opened = await open(
      encode({ PeerConnections: { "3-1": { url: "http://127.0.0.1/x" }, "3-2": { updateLog: [] } } }),
    );
    expect(opened.connections).toHaveLength(2);
    expect(codes(opened)).toEqual([[], []]);
    const notes = opened.notes.join(" ");
    expect(notes).toMatch(
      /Nothing was logged for connections 3-1, 3-2: made before webrtc-internals was opened/,
    );
    expect(notes).toMatch(/2 connections have no statistics field/);
    expect(notes).toMatch(/does not say when it was made/);
    // Their states were never seen: none is shown.
    for (const c of opened.connections)
      expect(c.watched.timeline.list().filter((e) => e.property !== "step")).toEqual([]);
  });
});

describe("an rtcstats dump", () => {
  it("reads its calls and events (times are deltas) and says its statistics are not read", async () => {
    const lines = [
      "RTCStatsDump",
      '{"fileFormat":3}',
      JSON.stringify([
        "create",
        null,
        { userAgentData: { brands: [{ brand: "Chromium", version: "156" }] } },
        T,
      ]),
      JSON.stringify([
        "create",
        "9-1",
        { iceServers: [] },
        `http://127.0.0.1:8000/r.html?pass=${SECRET}`,
        100,
      ]),
      JSON.stringify(["createDataChannel", "9-1", { label: "orders", ordered: true }, 1]),
      JSON.stringify(["setRemoteDescription", "9-1", { type: "answer", sdp: sdp(0) }, 10]),
      JSON.stringify(["onsignalingstatechange", "9-1", '"stable"', 1]),
      JSON.stringify(["setRemoteDescriptionOnSuccess", "9-1", null, 1]),
      JSON.stringify(["getstats", "9-1", {}, 1000]),
      JSON.stringify(["oniceconnectionstatechange", "9-1", '"failed"', 6000]),
      "not json",
    ];
    const opened = await open(new TextEncoder().encode(lines.join("\n")));
    expect(opened.source).toMatchObject({ format: "rtcstats", userAgent: "Chromium 156", createdAt: null });
    expect(opened.connections[0]?.frameUrl).toBe("http://127.0.0.1:8000/r.html");
    expect(opened.notes.join(" ")).toMatch(/statistics are not read/);
    expect(opened.notes.join(" ")).toMatch(/1 lines? of the rtcstats dump/);
    expect(codes(opened)[0]).toContain("page-no-remote-candidates");
    expect(
      opened.connections[0]?.watched.timeline.list().find((e) => e.kind === "remote-description-set")?.t,
    ).toBe(12);
    expect(JSON.stringify(opened)).not.toContain(SECRET);
  });
});

describe("a file that is not a dump, or a hostile one", () => {
  const refusal = (bytes: Uint8Array) =>
    readDumpFile(bytes, validate).then(
      () => "read",
      (e: Error) => e.message,
    );

  it("refuses an empty file, text, JSON of another shape, and a damaged gzip, each saying so", async () => {
    expect(await refusal(new Uint8Array())).toBe("The file is empty.");
    expect(await refusal(new TextEncoder().encode("hello"))).toMatch(/neither JSON nor an rtcstats dump/);
    expect(await refusal(encode({ PeerConnections: [] }))).toMatch(
      /not a chrome:\/\/webrtc-internals dump \(at \/PeerConnections/,
    );
    expect(await refusal(encode({ PeerConnections: { a: { updateLog: [{ type: 7 }] } } }))).toMatch(
      /not a chrome:\/\/webrtc-internals dump/,
    );
    expect(await refusal(gzipSync(dumpOf({})).subarray(0, 30))).toMatch(/does not unpack/);
  });

  it("refuses a file past the cap, naming the cap, before reading it", async () => {
    expect(await refusal(new Uint8Array(MAX_DUMP_BYTES + 1))).toMatch(/larger than 128 MB/);
  });

  it("keeps markup as text, cuts huge strings, survives deep nesting and wrong types in what it does not read", async () => {
    const huge = "x".repeat(5_000_000);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const opened = await open(
      dumpOf({
        "<img src=x onerror=alert(1)>": {
          url: "javascript:alert(1)",
          rtcConfiguration: deep,
          updateLog: [
            { type: "createDataChannel", value: JSON.stringify({ label: `<b>${huge}</b>` }), timestamp: T },
            { type: "setRemoteDescriptionOnFailure", value: `<script>${huge}`, timestamp: T + 1 },
            {
              type: "onsignalingstatechange",
              value: '"have-local-offer"',
              timestamp: "soon" as unknown as number,
            },
            { type: "unknownEvent", value: deep, timestamp: T + 2 },
          ],
          stats: { "D1-state": { statsType: "data-channel", values: deep }, x: { statsType: 5 } as never },
          extra: { nested: JSON.parse("[[[[[[]]]]]]") },
        },
      }),
    ).catch((e: Error) => e);
    expect(opened).not.toBeInstanceOf(Error);
    if (opened instanceof Error) return;
    const c = opened.connections[0];
    expect(c?.channels[0]?.label.length).toBeLessThanOrEqual(200);
    const failure = c?.watched.findings.find((f) => f.code === "page-call-failed");
    expect(failure?.message.length).toBeLessThan(600);
    expect(JSON.stringify(opened).length).toBeLessThan(100_000);
    expect(opened.notes.join(" ")).toMatch(/carry no time/);
  });
});
