// Opening a saved report: every kind of bad file is refused with a message saying what is wrong.
import { describe, expect, it } from "vitest";
import { compareReports } from "../../../src/report/compare";
import { parseReport } from "../../../src/report/open-report";
import { compileSchema, diagnosisReport, latencyResult } from "../report-fixture";

const validate = compileSchema();
const refusal = (text: string) => {
  const result = parseReport(text, validate);
  return result.ok ? "accepted" : result.message;
};

describe("parseReport", () => {
  it("opens a saved report", () => {
    const report = diagnosisReport();
    const result = parseReport(JSON.stringify(report, null, 2), validate);
    expect(result).toEqual({ ok: true, report: JSON.parse(JSON.stringify(report)) });
  });

  it("refuses what is not JSON, not an object, not a report, or another version", () => {
    expect(refusal("<html>")).toMatch(
      /^This file is not JSON \(.+\)\. Open a file saved with "Save report"\.$/,
    );
    expect(refusal("[1, 2]")).toBe("This file holds JSON, but not a report: a report is a JSON object.");
    expect(refusal('{"name": "package"}')).toContain('it has no "schema" field');
    expect(refusal('{"schema": "webrtc-loopback-report/9"}')).toContain(
      'This report is in the format "webrtc-loopback-report/9"; this panel reads "webrtc-loopback-report/1" and "webrtc-loopback-report/2".',
    );
  });

  it("says where a damaged report is damaged", () => {
    const report = JSON.parse(JSON.stringify(diagnosisReport()));
    report.throughput.bytes = "lots";
    expect(refusal(JSON.stringify(report))).toBe(
      "This report is damaged or was edited: at /throughput, must be null.",
    );
    delete report.throughput;
    expect(refusal(JSON.stringify(report))).toBe(
      "This report is damaged or was edited: at the top level, must have required property 'throughput'.",
    );
  });
});

describe("compareReports", () => {
  it("lines two reports up point by point and marks what differs", () => {
    const chrome = diagnosisReport();
    const other = diagnosisReport({ latency: latencyResult({ p95Ms: 4.2 }) });
    other.browser = { name: "Firefox", version: "153.7.0", userAgent: "Firefox/153.7.0" };
    const rows = compareReports(chrome, other);
    const row = (label: string) => rows.find((r) => r.label === label);
    expect(row("Browser")).toEqual({
      section: "Overview",
      label: "Browser",
      left: "Chromium 156.0.8078.79",
      right: "Firefox 153.7.0",
      differs: true,
    });
    expect(row("p95")).toMatchObject({ left: "0.60 ms", right: "4.20 ms", differs: true });
    expect(row("p50")).toMatchObject({ left: "0.30 ms", right: "0.30 ms", differs: false });
    expect(row("Default binaryType")).toMatchObject({ left: "yes: arraybuffer", differs: false });
    expect(new Set(rows.map((r) => r.section))).toEqual(
      new Set(["Overview", "Support", "Connection", "Candidates", "Throughput", "Latency", "Findings"]),
    );
  });

  it("adds one row per ICE-server target in either report, and the check's level", () => {
    const target = {
      url: "turn:t.example:3478",
      scheme: "turn" as const,
      transport: "udp" as const,
      candidateTypes: ["host" as const, "relay" as const],
      firstCandidateMs: {},
      gatheringMs: 10,
      errors: [],
      refused: null,
      relayConnected: true,
      throughput: {
        bytesPerSecond: 2e6,
        bytes: 1,
        messages: 1,
        messageSize: 1,
        durationMs: 1,
        lost: 0,
        outOfOrder: 0,
        corrupted: 0,
        cancelReason: null,
      },
      level: "pass" as const,
      findings: [],
    };
    const checked = diagnosisReport();
    checked.iceCheck = {
      results: [target],
      findings: [],
      level: "pass",
      headline: "",
      startedAt: "",
      durationMs: 1,
    };
    const rows = compareReports(checked, diagnosisReport()).filter((r) => r.section === "ICE servers");
    expect(rows.map((r) => [r.label, r.left, r.right, r.differs])).toEqual([
      ["Level", "pass", "not checked", true],
      ["turn:t.example:3478 UDP", "pass: host, relay, 2.00 MB/s", "not checked", true],
    ]);
    expect(
      compareReports(diagnosisReport(), diagnosisReport()).some((r) => r.section === "ICE servers"),
    ).toBe(false);
  });

  it("shows what one side lacks as n/a or did not open", () => {
    const rows = compareReports(diagnosisReport(), diagnosisReport({ opened: false }));
    expect(rows.find((r) => r.label === "Time to open")).toMatchObject({
      left: "40.0 ms",
      right: "did not open",
    });
    expect(rows.find((r) => r.label === "Sustained rate (MB = 10^6 bytes)")).toMatchObject({
      left: "5.24 MB/s",
      right: "n/a",
    });
    expect(rows.find((r) => r.label === "Verdict")).toMatchObject({
      left: "pass",
      right: "fail",
      differs: true,
    });
  });
});
