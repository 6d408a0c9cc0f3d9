// Firefox: the throughput lab, the diagnosis and its report, a dump opened in the panel's worker,
// and `diagnose --browser firefox`, with the real panel bundle (see src/cli/firefox-panel.ts for how
// it runs in Firefox).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElementHandle } from "puppeteer-core";
import { describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { byRole } from "./by-role";
import { runCli } from "./cli-runner";
import { useFirefoxPanel } from "./firefox-panel";
import { HOSTILE_SECRET, hostileDump } from "./hostile-dump";
import { schemaErrors } from "./report-schema";

const open = useFirefoxPanel();

describe("the throughput lab in Firefox", () => {
  it("delivers every message intact and in order on a reliable ordered channel, binary and text", async () => {
    const binary = await lab(open.panel).call("runThroughput", {
      messageSize: 16 * 1024,
      durationMs: 1000,
      binary: true,
    });
    const text = await lab(open.panel).call("runThroughput", {
      messageSize: 4 * 1024,
      totalBytes: 2_000_000,
      binary: false,
    });
    await lab(open.panel).call("disconnect");
    const results = [binary, text];
    for (const r of results) {
      expect(r).toMatchObject({ lost: 0, outOfOrder: 0, corrupted: 0, cancelled: false });
      expect(r.messages).toBeGreaterThan(0);
      expect(r.bytes).toBe(r.messages * r.settings.messageSize);
      expect(r.bytesPerSecond).toBeGreaterThan(0);
    }
    expect(results[1]?.bytes).toBeGreaterThanOrEqual(2_000_000);
  });

  it("reports the timer resolution Firefox gives with its latency percentiles", async () => {
    const latency = await lab(open.panel).call("runLatency", { samples: 50 });
    await lab(open.panel).call("disconnect");
    expect(latency.samples).toBe(50);
    expect(latency.resolutionMs).toBeGreaterThan(0);
    expect(latency.p50Ms).toBeLessThanOrEqual(latency.p95Ms);
    expect(latency.p95Ms).toBeLessThanOrEqual(latency.p99Ms);
    expect(latency.p99Ms).toBeLessThanOrEqual(latency.maxMs);
  });
});

describe("the diagnosis in Firefox", () => {
  it("runs from the button and gives a schema-valid report that names Firefox", async () => {
    await (await byRole(open.panel, "button", "Run diagnosis")).click();
    await open.panel.waitForFunction(() => document.getElementById("verdict")?.dataset.verdict, {
      timeout: 90_000,
    });
    const report = await lab(open.panel).call("report");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.kind).toBe("diagnosis");
    expect(report.browser.name).toBe("Firefox");
    expect(report.verdict).not.toBe("fail");
    // Firefox's differences are visible, not papered over: a 1 GiB-class message limit, mDNS host names.
    expect(report.sctp?.maxMessageSize).toBeGreaterThan(256 * 1024);
    expect(report.throughput).toMatchObject({ lost: 0, outOfOrder: 0, corrupted: 0 });
  });
});

describe("a dump in Firefox", () => {
  it("opens a hostile dump from Open dump, in its worker: text only, the panel whole, no password anywhere", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-ff-dump-"));
    const file = join(dir, "webrtc_internals_dump.gz");
    writeFileSync(file, hostileDump());
    try {
      const input = (await open.panel.$("#open-dump")) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(file);
      await open.panel.waitForFunction(
        () =>
          /1 peer connection, 1 with a failing finding/.test(
            document.getElementById("dump-status")?.textContent ?? "",
          ),
        { timeout: 30_000 },
      );
      const shown = await open.panel.evaluate(() => ({
        pwned: (window as { __pwned?: number }).__pwned ?? 0,
        injected: document.querySelectorAll("#panel-dump img, #panel-dump script").length,
        text: document.getElementById("panel-dump")?.textContent ?? "",
        longest: Math.max(
          ...[...document.querySelectorAll("#panel-dump td, #panel-dump li")].map(
            (e) => (e.textContent ?? "").length,
          ),
        ),
      }));
      expect(shown).toMatchObject({ pwned: 0, injected: 0 });
      expect(shown.text).toContain("<img src=x");
      expect(shown.text).toMatch(/setRemoteDescription\(\) failed once/);
      expect(shown.longest).toBeLessThan(2000);
      const report = await lab(open.panel).call("report");
      expect(schemaErrors(report)).toEqual([]);
      expect(`${shown.text}${JSON.stringify(report)}`).not.toContain(HOSTILE_SECRET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run diagnose -- --browser firefox", () => {
  it("--json prints only a schema-valid report with verdict pass and browser Firefox", async () => {
    const { code, stdout, stderr } = await runCli(["--browser", "firefox", "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(schemaErrors(report)).toEqual([]);
    expect(report.browser.name).toBe("Firefox");
    expect(report.verdict).toBe("pass");
  });
});
