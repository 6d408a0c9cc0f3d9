// The diagnosis in the real Chrome DevTools panel: Run diagnosis by its button, the report against the
// schema, Save and Open report, and the same diagnosis in a network where no connection can form,
// from the panel and from `node dist/cli/diagnose.mjs`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElementHandle, Frame } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import { type StartPage, serveStartPage } from "../../src/cli/start-page";
import type { Report } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { DIAGNOSIS_STEPS } from "../../src/engine/diagnose/diagnosis-steps";
import { CONNECTION_CHECK_IDS } from "../../src/engine/diagnose/support";
import { byRole, useChromePanel } from "./chrome-panel";
import { runCli } from "./cli-runner";
import { schemaErrors } from "./report-schema";

const packageVersion = JSON.parse(readFileSync("package.json", "utf8")).version;
const offlineReason = canIsolateNetwork() ? "" : "needs root and unshare(1) for a network namespace";

const text = (frame: Frame, selector: string) =>
  frame.$eval(selector, (el) => el.textContent ?? "").catch(() => "");
const report = (frame: Frame): Promise<Report> => lab(frame).call("report");

/** Clicks Run diagnosis and waits for the verdict to appear in the panel's header. */
async function runDiagnosisByButton(frame: Frame): Promise<void> {
  await (await byRole(frame, "button", "Run diagnosis")).click();
  // The button says it is unavailable while the steps run: progress is visible, then the verdict.
  await frame.waitForFunction(
    () => document.getElementById("run-diagnosis")?.getAttribute("aria-disabled") === "true",
    {
      timeout: 5000,
    },
  );
  await frame.waitForFunction(() => document.getElementById("verdict")?.dataset.verdict, { timeout: 60_000 });
}

const stepStatuses = (frame: Frame) =>
  frame.$$eval('[aria-label="Diagnosis steps"] li', (items) =>
    items.map((li) => `${li.id.replace("diagnosis-step-", "")} ${(li as HTMLElement).dataset.status}`),
  );

const openReportInput = async (frame: Frame) =>
  (await frame.$("#open-report")) as ElementHandle<HTMLInputElement> | null;

describe.skipIf(offlineReason)("a network where no connection can form", () => {
  const open = useChromePanel({ network: "offline" });

  it("the panel's diagnosis fails with the no-interface-up finding and a valid report", async () => {
    await runDiagnosisByButton(open.panel);
    expect(await open.panel.$eval("#verdict", (el) => (el as HTMLElement).dataset.verdict)).toBe("fail");
    expect(await text(open.panel, "#verdict")).toMatch(
      /^Fail: WebRTC data channels do not work here: No ICE candidates/,
    );
    const r = await report(open.panel);
    expect(schemaErrors(r)).toEqual([]);
    expect(r.verdict).toBe("fail");
    expect(r.findings.map((f) => `${f.level} ${f.code}`)).toContain("fail no-interface-up");
    expect(r.candidates.total).toBe(0);
    expect(r.throughput).toBeNull();
    expect(await stepStatuses(open.panel)).toEqual([
      "support done",
      "connect failed",
      "channels skipped",
      "candidates done",
      // DevTools is open on about:blank here, where inspectedWindow.eval does not run.
      "webpage skipped",
      "throughput skipped",
      "latency skipped",
      "verdict done",
    ]);
  });

  it("node dist/cli/diagnose.mjs exits 1 and says why", async () => {
    const { code, stdout, stderr } = await runCli(["--browser", "chrome", "--network", "offline"]);
    expect(stderr).toContain("[chrome] 2/8 Loopback session: failed");
    expect(stdout).toMatch(/^Verdict: FAIL — WebRTC data channels do not work here: No ICE candidates/m);
    expect(stdout).toMatch(/FAIL no-interface-up/);
    expect(code).toBe(1);
  });
});

describe("Run diagnosis in the Chrome DevTools panel", () => {
  const downloads = mkdtempSync(join(tmpdir(), "loopback-downloads-"));

  // DevTools inspects an ordinary web page, as a person's would: the diagnosis probes it too.
  let page: StartPage;
  beforeAll(async () => {
    page = await serveStartPage();
  });
  afterAll(() => page?.close());
  const open = useChromePanel(() => ({ url: page.url, downloadsTo: downloads }));

  it("runs every check in order with visible progress and shows a pass verdict in the header", async () => {
    expect(await text(open.panel, "#verdict")).toBe("No diagnosis yet");
    await runDiagnosisByButton(open.panel);
    expect(await stepStatuses(open.panel)).toEqual(DIAGNOSIS_STEPS.map((step) => `${step} done`));
    expect(await open.panel.$eval("#verdict", (el) => (el as HTMLElement).dataset.verdict)).toBe("pass");
    expect(await text(open.panel, "#verdict")).toMatch(
      /^Pass: WebRTC data channels work here \(\d+(\.\d+)? MB\/s, p95 round trip/,
    );
    const findings = await open.panel.$$eval('[aria-label="Diagnosis findings"] li', (items) =>
      items.map((li) => (li as HTMLElement).dataset.code),
    );
    expect(findings).toEqual(["channel-open", "web-page-works", "throughput-measured", "latency-measured"]);
    // The web-page probe leaves nothing behind in the inspected page.
    const left = await open.page.evaluate(() =>
      Object.getOwnPropertyNames(globalThis).filter((name) => name.startsWith("__loopbackLab")),
    );
    expect(left).toEqual([]);
  });

  it("report() is a complete diagnosis report that the schema accepts", async () => {
    const r = await report(open.panel);
    expect(schemaErrors(r)).toEqual([]);
    expect(r.kind).toBe("diagnosis");
    expect(r.verdict).toBe("pass");
    expect(r.browser.name).toBe("Chromium");
    expect(r.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(r.browser.version).not.toMatch(/\.0\.0\.0$/);
    expect(r.extensionVersion).toBe(packageVersion);
    // Chromium supports every channel feature: each was actually tried on the open connection.
    const channelChecks = r.support?.checks.filter((c) =>
      (CONNECTION_CHECK_IDS as readonly string[]).includes(c.id),
    );
    expect(channelChecks?.map((c) => `${c.id} ${c.status}`)).toEqual(
      CONNECTION_CHECK_IDS.map((id) => `${id} yes`),
    );
    expect(r.sctp?.maxMessageSize).toBeGreaterThanOrEqual(65536);
    expect(r.candidates.total).toBeGreaterThan(0);
    expect(r.candidates.total).toBe(r.candidates.udp + r.candidates.tcp);
    expect(r.throughput?.bytes).toBeGreaterThan(0);
    expect([r.throughput?.lost, r.throughput?.outOfOrder, r.throughput?.corrupted]).toEqual([0, 0, 0]);
    expect(r.latency?.samples).toBe(200);
    expect(r.timeline.some((e) => e.source === "receiveChannel" && e.value === "open")).toBe(true);
  });

  it("Save report writes a JSON file of the same report, with the person's session and own run beside the diagnosis", async () => {
    // The person's own work after the diagnosis: a session with two messages and a short throughput run.
    await lab(open.panel).call("connect");
    await lab(open.panel).call("send", "hello");
    await lab(open.panel).call("send", "again");
    const run = await lab(open.panel).call("runThroughput", { durationMs: 500 });
    const before = await report(open.panel);
    await (await byRole(open.panel, "button", "Save report")).click();
    await open.panel.waitForFunction(() =>
      /^Saved loopback-report-/.test(document.getElementById("report-notice")?.textContent ?? ""),
    );
    let saved: string[] = [];
    for (let i = 0; i < 100 && saved.length === 0; i++) {
      saved = readdirSync(downloads).filter((f) => f.endsWith(".json"));
      if (saved.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(saved).toHaveLength(1);
    const file = JSON.parse(readFileSync(join(downloads, saved[0] as string), "utf8"));
    expect(schemaErrors(file)).toEqual([]);
    expect({ ...file, exportedAt: "" }).toEqual({ ...before, exportedAt: "" });
    // The diagnosis, the session and the run, each with when it was made; createdAt is the diagnosis's end.
    expect(file.kind).toBe("diagnosis");
    expect(Date.parse(file.createdAt)).toBeGreaterThan(Date.parse(file.timelineStartedAt));
    expect(Date.parse(file.createdAt)).toBeLessThanOrEqual(Date.parse(file.exportedAt));
    expect(file.work.session).toMatchObject({
      sent: { messages: 2, bytes: 10 },
      received: { messages: 2, bytes: 10 },
    });
    expect(file.work.session.messages).toBeUndefined();
    expect(Date.parse(file.work.session.startedAt)).toBeLessThanOrEqual(
      Date.parse(file.work.throughput.endedAt),
    );
    expect(file.work.throughput).toMatchObject({
      bytes: run.bytes,
      messages: run.messages,
      endedAt: run.endedAt,
    });
    expect(Date.parse(file.work.throughput.endedAt)).toBeGreaterThan(Date.parse(file.createdAt));
    // Figures carry no digits below the clock's microsecond.
    const ms = JSON.stringify(file).match(/"[a-zA-Z]+Ms":-?\d+\.\d+/g) ?? [];
    expect(ms.filter((m) => (m.split(".")[1] ?? "").length > 3)).toEqual([]);
    // The messages go in only when the person asks.
    const withMessages = await lab(open.panel).call("report", { includeMessages: true });
    expect(withMessages.work?.session?.messages?.map((m) => m.text)).toEqual(["hello", "again"]);
    expect(schemaErrors(withMessages)).toEqual([]);
    await lab(open.panel).call("disconnect");
  });

  it("Open report shows a saved report beside this one, point by point", async () => {
    const other = await report(open.panel);
    other.browser = { name: "Firefox", version: "153.7.0", userAgent: "Mozilla/5.0 Firefox/153.7.0" };
    const path = join(downloads, "firefox-report.json");
    writeFileSync(path, JSON.stringify(other));
    const input = await openReportInput(open.panel);
    await input?.uploadFile(path);
    await open.panel.waitForFunction(() => !(document.getElementById("comparison") as HTMLElement).hidden);
    const rows = await open.panel.$$eval("#comparison-table tbody tr", (trs) =>
      trs.map((tr) =>
        [...(tr as HTMLTableRowElement).cells]
          .map((c) => c.textContent)
          .concat((tr as HTMLElement).dataset.differs ?? ""),
      ),
    );
    const browserRow = rows.find((r) => r[1] === "Browser");
    const mine = (await report(open.panel)).browser;
    expect(browserRow?.slice(2)).toEqual([`${mine.name} ${mine.version}`, "Firefox 153.7.0", "true"]);
    expect(rows.find((r) => r[1] === "Verdict")?.slice(2)).toEqual(["pass", "pass", "false"]);
    expect(await text(open.panel, "#comparison-loaded")).toBe("firefox-report.json (Firefox 153.7.0)");
  });

  it("refuses a bad file with a clear message and keeps the comparison it had; loaded text stays text", async () => {
    const input = await openReportInput(open.panel);
    const notJson = join(downloads, "notes.txt");
    writeFileSync(notJson, "these are not the reports you are looking for");
    await input?.uploadFile(notJson);
    await open.panel.waitForFunction(() =>
      /^Could not open/.test(document.getElementById("report-notice")?.textContent ?? ""),
    );
    expect(await text(open.panel, "#report-notice")).toMatch(
      /^Could not open "notes\.txt": This file is not JSON \(.+\)\. Open a file saved with "Save report"\. The comparison is unchanged\.$/,
    );
    expect(await text(open.panel, "#comparison-loaded")).toBe("firefox-report.json (Firefox 153.7.0)");

    const hostile = await report(open.panel);
    hostile.browser.name = '<img src=x onerror="window.__pwned=1">';
    const path = join(downloads, "hostile.json");
    writeFileSync(path, JSON.stringify(hostile));
    await input?.uploadFile(path);
    await open.panel.waitForFunction(() =>
      (document.getElementById("comparison-loaded")?.textContent ?? "").startsWith("hostile.json"),
    );
    expect(await open.panel.$$eval("#comparison img", (imgs) => imgs.length)).toBe(0);
    expect(await open.panel.evaluate(() => "__pwned" in window)).toBe(false);
    expect(await text(open.panel, "#comparison-loaded")).toContain('<img src=x onerror="window.__pwned=1">');
  });

  it("Stop ends a running diagnosis, says at which step, and keeps the last verdict", async () => {
    await (await byRole(open.panel, "button", "Run diagnosis")).click();
    // Any step from the third on: one poll may miss a step that took a few milliseconds.
    await open.panel.waitForFunction(
      () =>
        ["channels", "candidates", "webpage", "throughput", "latency"].some(
          (step) =>
            document.querySelector(`#diagnosis-step-${step}`)?.getAttribute("data-status") === "running",
        ),
      { polling: 20 },
    );
    const stop = await byRole(open.panel, "button", "Stop");
    const clicked = Date.now();
    await stop.click();
    // The bound the issue sets: Stop ends the diagnosis within a second.
    await open.panel.waitForFunction(
      () => /^The diagnosis stopped:/.test(document.getElementById("report-notice")?.textContent ?? ""),
      { timeout: 1000, polling: 20 },
    );
    expect(Date.now() - clicked).toBeLessThanOrEqual(1000);
    expect(await text(open.panel, "#report-notice")).toMatch(
      /^The diagnosis stopped: The diagnosis was stopped at step [3-8] of 8 \(.+\); no verdict\.$/,
    );
    expect(await open.panel.$eval("#run-diagnosis", (b) => b.getAttribute("aria-disabled"))).toBe("false");
    expect(await open.panel.$eval("#tp-stop", (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    // The verdict shown and reported is still the last finished diagnosis's.
    expect(await open.panel.$eval("#verdict", (el) => (el as HTMLElement).dataset.verdict)).toBe("pass");
    const after = await report(open.panel);
    expect(after.verdict).toBe("pass");
    // The report says the latest diagnosis was stopped, and where.
    expect(schemaErrors(after)).toEqual([]);
    expect(after.diagnosisStopped).toMatchObject({ total: 8 });
    expect(after.diagnosisStopped?.index).toBeGreaterThanOrEqual(3);
    expect(await text(open.panel, "#report-notice")).toContain(
      `step ${after.diagnosisStopped?.index} of 8 (${after.diagnosisStopped?.stepName})`,
    );
  });
});

describe("the diagnose command line", () => {
  it("--browser chrome --json prints only a schema-valid report with verdict pass", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "loopback-cli-")), "report.json");
    const { code, stdout, stderr } = await runCli(["--browser", "chrome", "--json", "--out", out]);
    const printed = JSON.parse(stdout);
    expect(schemaErrors(printed)).toEqual([]);
    expect(printed.verdict).toBe("pass");
    expect(printed.browser.name).toBe("Chromium");
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(printed);
    // The same probe in the ordinary page DevTools inspects opened too, its host addresses behind mDNS names.
    expect(printed.findings.map((f: { code: string }) => f.code)).toContain("web-page-works");
    expect(printed.webPage.page.opened).toBe(true);
    expect(printed.webPage.page.candidates.host).toBe(0);
    expect(printed.webPage.page.candidates.mdns).toBeGreaterThan(0);
    // The headline figure is the steady rate, measured at 256 KiB, with its ramp-up.
    expect(printed.throughput.settings.messageSize).toBe(262_144);
    expect(printed.throughput.steady.bytesPerSecond).toBeGreaterThan(0);
    expect(printed.throughput.steady.fromMs).toBeLessThan(printed.throughput.steady.toMs);
    // Progress went to stderr, step by step.
    for (const step of ["1/8", "2/8", "5/8", "8/8"]) expect(stderr).toContain(`[chrome] ${step}`);
    expect(code).toBe(0);
  });

  it("a bad option exits 2 with one line naming it and a pointer to --help", async () => {
    const expected: [string[], RegExp][] = [
      [["--browser", "safari"], /^diagnose: --browser must be chrome, firefox or all, not "safari"\./],
      [["--frobnicate"], /^diagnose: Unknown option --frobnicate\.$/],
      [["--jsn"], /^diagnose: Unknown option --jsn\. Did you mean --json\?$/],
      [["--out", "/no/such/folder/r.json"], /^diagnose: --out "\/no\/such\/folder\/r\.json": the folder/],
    ];
    for (const [args, first] of expected) {
      const { code, stdout, stderr } = await runCli(args);
      expect(stdout).toBe("");
      const lines = stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(first);
      expect(lines[1]).toBe("Run with --help for the options.");
      expect(code).toBe(2);
    }
  });

  it("a browser that is not there exits 2 naming the path tried and the variable to set", async () => {
    const missing = join(tmpdir(), "no-such-chromium");
    expect(existsSync(missing)).toBe(false);
    const { code, stderr } = await runCli(["--browser", "chrome"], {
      ...process.env,
      LOOPBACK_LAB_CHROME: missing,
    });
    expect(stderr).toContain(`tried ${missing}`);
    expect(stderr).toContain("or set LOOPBACK_LAB_CHROME to the browser's executable");
    expect(stderr).toContain("sudo apt-get install chromium");
    expect(code).toBe(2);
  });
});
