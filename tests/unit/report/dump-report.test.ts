// The report of a dump alone (diagnose --dump): valid against report.schema.json after a JSON round
// trip, its findings named by connection, its summary about the dump and nothing this browser did,
// and the same dump section in a panel report.
import { describe, expect, it } from "vitest";
import { openedDump } from "../../../src/engine/dump/dump-watch";
import { readInternalsDump } from "../../../src/engine/dump/internals-dump";
import { dumpReport } from "../../../src/report/dump-report";
import { textSummary } from "../../../src/report/summary";
import { compileSchema } from "../report-fixture";

const validate = compileSchema();
const T = 1_796_549_967_000;
const opened = openedDump(
  "webrtc_internals_dump.gz",
  readInternalsDump({
    PeerConnections: {
      "9-1": {
        url: "https://app.example/call?room=1&password=hunter2",
        rtcConfiguration: "{}",
        updateLog: [
          { type: "createDataChannel", value: '{"label":"orders"}', timestamp: T },
          { type: "onsignalingstatechange", value: '"have-local-offer"', timestamp: T + 5 },
          {
            type: "setRemoteDescription",
            value: '{"type":"answer","sdp":"v=0\\r\\nm=application 9 x\\r\\n"}',
            timestamp: T + 10,
          },
          { type: "onsignalingstatechange", value: '"stable"', timestamp: T + 11 },
          { type: "setRemoteDescriptionOnSuccess", value: "", timestamp: T + 12 },
          { type: "close", value: "", timestamp: T + 9000 },
        ],
      },
    },
    UserAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
    timestamp: T + 10_000,
  }),
);

describe("a dump's report", () => {
  const report = JSON.parse(JSON.stringify(dumpReport(opened, new Date(T + 20_000))));

  it("is a report of the report schema, with source dump and the dump's section", () => {
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report).toMatchObject({ source: "dump", kind: "session", verdict: "fail" });
    expect(report.browser).toMatchObject({ name: "Chromium", version: "156.0.0.0" });
    expect(report.dump).toMatchObject({ fileName: "webrtc_internals_dump.gz", format: "webrtc-internals" });
    expect(report.dump.connections[0]).toMatchObject({ key: "9-1", frameOrigin: "https://app.example" });
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });

  it("names each finding's connection, and leads with the worst", () => {
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual([
      "page-no-remote-candidates",
      "page-channel-not-opened",
    ]);
    expect(report.findings[0].message).toMatch(/^Connection 1 \(9-1\): No remote ICE candidate/);
    expect(report.headline).toBe(report.findings[0].message);
  });

  it("reads as a summary of the dump, not of a loopback that never ran", () => {
    const text = textSummary(report, 120);
    expect(text).toMatch(/report of a dump \(webrtc_internals_dump\.gz\) made by Chromium 156/);
    expect(text).toMatch(/connection 1 \(9-1\)\s+closed \(ICE closed\); "orders" \(local\) closed/);
    expect(text).not.toMatch(/Throughput|Time to open|key moments/);
  });

  it("gives no verdict for a dump without connections, and says so", () => {
    const empty = dumpReport(openedDump("empty.json", readInternalsDump({ PeerConnections: {} })));
    expect(empty.verdict).toBeNull();
    expect(empty.headline).toMatch(/holds no peer connection/);
    expect(validate(JSON.parse(JSON.stringify(empty)))).toBe(true);
  });
});
