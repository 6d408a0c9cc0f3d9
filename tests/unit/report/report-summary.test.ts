// The report in words: the Markdown summary, the command line's text summary, and the key moments.
import { describe, expect, it } from "vitest";
import { keyMoments } from "../../../src/report/key-moments";
import {
  blocksText,
  markdownSummary,
  sideBySide,
  textBlocks,
  textSummary,
} from "../../../src/report/summary";
import { diagnosisReport, latencyResult, sessionTimeline, throughputResult } from "../report-fixture";

describe("keyMoments", () => {
  it("picks when each layer came up, in time order", () => {
    const moments = keyMoments(sessionTimeline(["candidate:1 1 udp 1 192.0.2.1 5000 typ host"]));
    expect(moments.map((m) => m.text)).toEqual([
      "Connect",
      "first candidate gathered host udp ipv4 (localPeer)",
      "local peer finished gathering: 1 candidates",
      "ICE connected",
      "DTLS connected",
      "SCTP connected",
      "sending end open",
      "receiving end open",
    ]);
    expect(moments.map((m) => m.t)).toEqual([...moments.map((m) => m.t)].sort((a, b) => a - b));
  });

  it("keeps findings and errors, which say where it stopped", () => {
    const timeline = sessionTimeline([], false);
    timeline.push({
      t: 99,
      source: "localPeer",
      property: "error",
      value: "candidate error",
      detail: { text: "STUN timeout" },
    });
    const texts = keyMoments(timeline).map((m) => m.text);
    expect(texts).toContain("finding: no-candidates");
    expect(texts).toContain("error (localPeer): candidate error: STUN timeout");
    expect(texts).not.toContain("ICE connected");
  });
});

describe("textSummary", () => {
  it("keeps the person's own session and runs beside a diagnosis, each with when it ended, in counts that agree", () => {
    const report = {
      ...diagnosisReport(),
      work: {
        session: {
          startedAt: "2026-12-06T10:00:00.000Z",
          timeToOpenMs: 20,
          sent: { messages: 1, bytes: 5 },
          received: { messages: 1, bytes: 5 },
        },
        throughput: { ...throughputResult(), endedAt: "2026-12-06T10:01:00.000Z" },
        latency: { ...latencyResult({ samples: 1 }), endedAt: "2026-12-06T10:02:00.000Z" },
      },
    };
    const text = textSummary(report, 200);
    expect(text).toMatch(/Your session and runs/);
    expect(text).toMatch(
      /Session +from 2026-12-06T10:00:00\.000Z: sent 1 message \(5 B\), received 1 message \(5 B\)/,
    );
    expect(text).toMatch(/Throughput .*ended 2026-12-06T10:01:00\.000Z/);
    expect(text).toMatch(/Latency .*over 1 round trip, ended 2026-12-06T10:02:00\.000Z/);
  });

  it("prints the verdict, findings, throughput, latency, support and key moments", () => {
    const text = textSummary(diagnosisReport());
    expect(text.split("\n")[1]).toMatch(
      /^Verdict: PASS — WebRTC data channels work here \(5\.24 MB\/s, p95 round trip 0\.60 ms\)\.$/,
    );
    expect(text).toContain("PASS throughput-measured");
    expect(text).toMatch(
      /Throughput\s+5\.24 MB\/s, 20 messages \(1\.31 MB\) in 250 ms; 0 lost, 0 out of order, 0 corrupted/,
    );
    expect(text).toMatch(/Latency\s+p50 0\.30 ms, p95 0\.60 ms, p99 0\.90 ms, max 1\.40 ms/);
    expect(text).toMatch(/Candidates\s+4 candidates: 4 host \(1 mDNS\); 2 IPv4, 1 IPv6; 3 UDP, 1 TCP/);
    expect(text).toMatch(/Default binaryType\s+yes: a new channel starts with binaryType "arraybuffer"/);
    expect(text).toMatch(/SCTP connected/);
  });

  it("says why a failed diagnosis failed and what to try", () => {
    const text = textSummary(diagnosisReport({ opened: false }));
    expect(text).toContain(
      "Verdict: FAIL — WebRTC data channels do not work here: No ICE candidates were gathered.",
    );
    expect(text).toMatch(/FAIL no-candidates/);
    expect(text).toMatch(/Throughput\s+not measured/);
    expect(text).toMatch(/Time to open\s+did not open/);
  });

  it("wraps to the width it is given", () => {
    for (const line of textSummary(diagnosisReport(), 70).split("\n"))
      expect(line.length).toBeLessThanOrEqual(70);
  });
});

describe("sideBySide", () => {
  it("puts summaries in columns of the given width", () => {
    const out = sideBySide(
      [[{ key: "head", lines: ["left one", "left two"] }], [{ key: "head", lines: ["right one"] }]],
      12,
    );
    expect(out).toBe("left one     │ right one\nleft two\n");
  });

  it("starts each section on the same row in every column, by its key whatever its title says", () => {
    const left = [
      { key: "head", lines: ["Title L"] },
      { key: "findings", lines: ["Findings", "  a", "  b", "  c"] },
      { key: "measurements", lines: ["Measurements", "  x"] },
    ];
    const right = [
      { key: "head", lines: ["Title R"] },
      { key: "findings", lines: ["Findings", "  a"] },
      { key: "ice", lines: ["ICE servers: PASS — Measurements: none", "  u"] },
      { key: "measurements", lines: ["Measurements", "  y"] },
    ];
    const rows = sideBySide([left, right], 14).split("\n");
    const at = (text: string) => rows.findIndex((row) => row.includes(text));
    expect(rows[at("  x")]).toBe("  x            │   y");
    expect(at("ICE servers")).toBeGreaterThan(at("c"));
  });

  it("the text summary is its blocks, a blank line between them", () => {
    const report = diagnosisReport();
    expect(textSummary(report, 80)).toBe(blocksText(textBlocks(report, 80)));
    expect(textBlocks(report, 80).map((b) => b.key)).toEqual([
      "head",
      "findings",
      "measurements",
      "support",
      "timeline",
    ]);
  });
});

describe("markdownSummary", () => {
  it("has the verdict in bold, the findings as a list and the figures as tables", () => {
    const md = markdownSummary(diagnosisReport());
    expect(md).toMatch(/^### WebRTC Loopback Lab report: Chromium 156\.0\.8078\.79, extension 0\.1\.0/);
    expect(md).toContain("**Verdict: PASS — ");
    expect(md).toMatch(/^- \*\*PASS throughput-measured\*\*: /m);
    expect(md).toMatch(/^\| Latency \| p50 0\.30 ms/m);
    expect(md).toContain("#### Timeline: key moments (ms since Connect)");
  });

  it("keeps text from the browser from becoming markup", () => {
    const report = diagnosisReport();
    report.browser.userAgent = "<img src=x onerror=alert(1)> | **bold** [link](http://x)";
    const md = markdownSummary(report);
    const shown = /User agent: (.*) · report format/.exec(md)?.[1] ?? "";
    // Every markup character arrives escaped.
    expect(shown).not.toMatch(/(?<!\\)[<>|*[\]]/);
    expect(md).toContain("\\<img src=x onerror=alert(1)\\> \\| \\*\\*bold\\*\\* \\[link\\](http://x)");
  });
});
