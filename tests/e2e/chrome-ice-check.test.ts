// ICE-server checks in the real Chrome DevTools panel against a real TURN server (coturn) on the
// test network: the form and its matrix, relay over UDP, TCP and TLS carrying data intact (the TLS
// certificate trusted by the test browser's own store), wrong credentials (401), a closed port (701),
// a STUN-only server, and the secret nowhere in the report, the summary, the timeline or the saved file.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Frame } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IceCheckResult, Report } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { markdownSummary } from "../../src/report/summary";
import { byRole, showTab, useChromePanel } from "./chrome-panel";
import { runCli } from "./cli-runner";
import { schemaErrors } from "./report-schema";
import {
  CLOSED_PORT,
  homeTrusting,
  startTurnServer,
  TURN_HOST,
  TURN_PORT,
  TURN_SECRET,
  TURN_USER,
  TURNS_PORT,
  type TurnServer,
  turnUnavailableReason,
} from "./turn-server";

const reason = turnUnavailableReason();
const TURN_URL = `turn:${TURN_HOST}:${TURN_PORT}`;
const TURNS_URL = `turns:${TURN_HOST}:${TURNS_PORT}`;
const STUN_URL = `stun:${TURN_HOST}:${TURN_PORT}`;

const cell = (frame: Frame, url: string, column: number) =>
  frame.evaluate(
    (u, c) => {
      const row = [...document.querySelectorAll("#ice-matrix tbody tr")].find(
        (tr) => tr.querySelector("th")?.textContent === u,
      );
      const button = row?.querySelectorAll("td")[c]?.querySelector("button");
      return button ? { level: button.dataset.level ?? "", text: button.textContent ?? "" } : null;
    },
    url,
    column,
  );

describe.skipIf(reason)("ICE-server checks against coturn in the Chrome DevTools panel", () => {
  let turn: TurnServer;
  let byForm: IceCheckResult;
  const downloads = mkdtempSync(join(tmpdir(), "loopback-ice-downloads-"));

  beforeAll(async () => {
    turn = await startTurnServer();
  }, 60_000);
  afterAll(() => turn?.stop());
  const open = useChromePanel(() => {
    const home = homeTrusting(turn.certificate);
    return { undocked: true, ...(home ? { home } : {}), downloadsTo: downloads };
  }, 60_000);

  const check = (iceServers: RTCIceServer[]): Promise<IceCheckResult> =>
    lab(open.panel).call("runIceCheck", { iceServers });

  it("the form checks TURN over UDP, TCP and TLS and a STUN server, and the matrix shows each cell", async () => {
    await showTab(open.panel, "ICE servers");
    await open.panel.type("#ice-urls", `${TURN_URL}\n${TURNS_URL}\n${STUN_URL}`);
    await open.panel.type("#ice-username", TURN_USER);
    await open.panel.type("#ice-credential", TURN_SECRET);
    await (await byRole(open.panel, "button", "Check servers")).click();
    await open.panel.waitForFunction(
      () => /ICE-server checks passed/.test(document.getElementById("ice-status")?.textContent ?? ""),
      {
        timeout: 90_000,
      },
    );
    byForm = (await lab(open.panel).call("report")).iceCheck as IceCheckResult;
    const row = (transport: string, url = TURN_URL) =>
      byForm.results.find((r) => r.url === url && r.transport === transport);

    for (const transport of ["udp", "tcp"]) {
      const r = row(transport);
      expect(r?.candidateTypes, transport).toContain("relay");
      expect(r?.relayConnected, transport).toBe(true);
      expect(
        r?.findings.map((f) => f.code),
        transport,
      ).toEqual(["relay-connected"]);
      // Data through the relay arrived whole, and a round trip was measured.
      expect(r?.throughput?.bytes, transport).toBeGreaterThan(0);
      expect(r?.throughput?.lost ?? -1, transport).toBe(0);
      expect(r?.throughput?.corrupted ?? -1, transport).toBe(0);
      expect(r?.latency?.samples, transport).toBe(30);
    }
    // TLS: Chromium checks the server's certificate; this browser's own certificate store (a HOME
    // of the test's) trusts the test's self-signed one, so the relay works over TLS as well.
    const tls = row("tls", TURNS_URL);
    expect(tls?.candidateTypes).toContain("relay");
    expect(tls?.relayConnected).toBe(true);
    expect(tls?.findings.map((f) => f.code)).toEqual(["relay-connected"]);
    expect(tls?.throughput?.lost ?? -1).toBe(0);
    // No NAT on the test network: the reflexive address equals the host address, so there is no
    // srflx candidate and no error, which the warning says.
    const stun = row("udp", STUN_URL);
    expect(stun?.candidateTypes).toEqual(["host"]);
    expect(stun?.errors).toEqual([]);
    expect(stun?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["warn no-reflexive-candidate"]);
    expect(byForm.level).toBe("warn");

    expect(await cell(open.panel, TURN_URL, 0)).toMatchObject({
      level: "pass",
      text: expect.stringMatching(/^Pass: host, relay · /),
    });
    expect(await cell(open.panel, TURN_URL, 1)).toMatchObject({ level: "pass" });
    expect(await cell(open.panel, TURN_URL, 2)).toBeNull();
    expect(await cell(open.panel, TURNS_URL, 2)).toMatchObject({
      level: "pass",
      text: expect.stringMatching(/^Pass: host, relay · /),
    });
    expect(await cell(open.panel, STUN_URL, 0)).toMatchObject({ level: "warn" });
  }, 120_000);

  it("a cell opens its timeline: the relay-only loopback's channel opened and closed", async () => {
    await open.panel.click("#ice-matrix tbody tr:first-child td:nth-child(2) button");
    expect(
      await open.panel.$eval(
        "#timeline-connection",
        (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent,
      ),
    ).toBe(`ICE: ${TURN_URL} (UDP)`);
    // The table is drawn on the next animation frame after the switch: wait for it.
    await open.panel.waitForFunction(
      () =>
        [...document.querySelectorAll("#timeline tbody tr")].some((r) =>
          /sendChannel.*readyState.*open/.test(r.textContent ?? ""),
        ),
      { timeout: 5000 },
    );
    const values = await open.panel.$$eval("#timeline tbody tr", (rows) =>
      rows.map((r) => r.textContent ?? ""),
    );
    expect(values.some((v) => /gathered relay udp ipv4/.test(v))).toBe(true);
    expect(values.some((v) => /sendChannel.*readyState.*open/.test(v))).toBe(true);
    if (process.env.UPDATE_SCREENSHOT) {
      await open.devtools.setViewport({ width: 1280, height: 640 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await open.devtools.screenshot({ path: "docs/panel-ice.png" });
    }
  });

  it("wrong credentials give turn-unauthorized with error 401; a closed port gives turn-unreachable with 701", async () => {
    const result = await check([
      { urls: `${TURN_URL}?transport=udp`, username: TURN_USER, credential: "not-the-password" },
      {
        urls: `turn:${TURN_HOST}:${CLOSED_PORT}?transport=tcp`,
        username: TURN_USER,
        credential: TURN_SECRET,
      },
    ]);
    const [wrong, closed] = result.results;
    expect(wrong?.candidateTypes).not.toContain("relay");
    expect(wrong?.errors.map((e) => e.errorCode)).toContain(401);
    expect(wrong?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["fail turn-unauthorized"]);
    expect(closed?.errors.map((e) => e.errorCode)).toEqual([701]);
    expect(closed?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["fail turn-unreachable"]);
    // A mistyped server is the check's failure, not the local stack's: the loopback verdict is untouched.
    const report = await lab(open.panel).call("report");
    expect(report.iceCheck?.level).toBe("fail");
    expect(report.verdict).toBeNull();
  }, 60_000);

  it("input that is not ICE servers is refused with a message, and nothing runs", async () => {
    const checked = await lab(open.panel).callCatching("runIceCheck", { iceServers: [{ urls: "turn:x" }] });
    const refused = checked.ok ? "ran" : checked.error.message;
    expect(refused).toBe("ICE server 1: turn:x needs a username and a credential.");
  });

  it("the secret appears nowhere: not in the report, its summary, the timeline, the page or the saved file", async () => {
    await check([{ urls: `${TURN_URL}?transport=tcp`, username: TURN_USER, credential: TURN_SECRET }]);
    const report: Report = await lab(open.panel).call("report");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.iceCheck?.results[0]?.relayConnected).toBe(true);
    expect(JSON.stringify(report)).not.toContain(TURN_SECRET);
    expect(markdownSummary(report)).not.toContain(TURN_SECRET);
    // The form's field keeps it (that is where it lives); no other text on the panel has it.
    const pageText = await open.panel.evaluate(() => document.body.textContent ?? "");
    expect(pageText).not.toContain(TURN_SECRET);
    await (await byRole(open.panel, "button", "Save report")).click();
    let saved: string[] = [];
    for (let i = 0; i < 100 && saved.length === 0; i++) {
      saved = readdirSync(downloads).filter((f) => f.endsWith(".json"));
      if (saved.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    const file = readFileSync(join(downloads, saved[0] as string), "utf8");
    expect(JSON.parse(file).iceCheck.results).toHaveLength(1);
    expect(file).not.toContain(TURN_SECRET);
  }, 60_000);
});

describe.skipIf(reason)("npm run diagnose -- --ice-servers against coturn", () => {
  let turn: TurnServer;
  beforeAll(async () => {
    turn = await startTurnServer();
  }, 60_000);
  afterAll(() => turn?.stop());

  it("prints each target's row, puts the check in the JSON report, and never prints the secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loopback-ice-cli-"));
    const file = join(dir, "servers.json");
    writeFileSync(
      file,
      JSON.stringify([{ urls: `${TURN_URL}?transport=udp`, username: TURN_USER, credential: TURN_SECRET }]),
    );
    const out = join(dir, "report.json");
    const text = await runCli(["--ice-servers", file, "--out", out]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/ICE servers: PASS/);
    expect(text.stdout).toMatch(
      /turn:192\.0\.2\.1:3478\?transport=udp UDP\s+PASS: host, relay; relay-connected/,
    );
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.kind).toBe("diagnosis");
    expect(report.iceCheck?.results.map((r) => r.relayConnected)).toEqual([true]);
    for (const output of [text.stdout, text.stderr, readFileSync(out, "utf8")])
      expect(output).not.toContain(TURN_SECRET);

    // The environment variable instead of a file; a wrong credential fails the command (exit 1)
    // while the local stack's verdict stays a pass.
    const wrong = JSON.stringify([
      { urls: `${TURN_URL}?transport=tcp`, username: TURN_USER, credential: `${TURN_SECRET}-wrong` },
    ]);
    const failed = await runCli(["--json"], { ...process.env, LOOPBACK_LAB_ICE_SERVERS: wrong });
    expect(failed.code, failed.stderr).toBe(1);
    const failedReport = JSON.parse(failed.stdout) as Report;
    expect(failedReport.verdict).toBe("pass");
    expect(failedReport.iceCheck?.findings.map((f) => f.code)).toEqual(["turn-unauthorized"]);
    expect(failed.stdout + failed.stderr).not.toContain(TURN_SECRET);
  }, 180_000);

  it("refuses servers that are not RTCIceServer[] before starting a browser (exit 2)", async () => {
    const bad = await runCli(["--quiet"], {
      ...process.env,
      LOOPBACK_LAB_ICE_SERVERS: '[{"urls":"turn:x"}]',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^diagnose: LOOPBACK_LAB_ICE_SERVERS: ICE server 1: turn:x needs a username and a credential\./,
    );
  });
});
