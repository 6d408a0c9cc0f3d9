// A dump a user sends, made here from real Chromium: each fixture page (a healthy one, and the bug
// classes of the page diagnosis, one of them against a real TURN server) runs while
// chrome://webrtc-internals records and the panel records the page live; the dump is downloaded
// through webrtc-internals' own page, then opened in the real DevTools panel (Open dump) and read by
// `diagnose --dump`. Both must give, connection by connection, the findings the live recording gave.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElementHandle } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DumpInfo, PageConnectionInfo, Report } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { showTab, useChromePanel } from "./chrome-panel";
import { runCli } from "./cli-runner";
import { HOSTILE_SECRET, hostileDump } from "./hostile-dump";
import { downloadDump, openInternals, waitForLogged } from "./internals-dump";
import { type Fixture, type FixtureServer, serveFixtures } from "./page-fixtures";
import { schemaErrors } from "./report-schema";
import {
  startTurnServer,
  TURN_HOST,
  TURN_PORT,
  TURN_USER,
  type TurnServer,
  turnUnavailableReason,
} from "./turn-server";

const turnReason = turnUnavailableReason();
/** The page's wrong TURN password: distinctive, so every output can be searched for it. */
const PAGE_SECRET = "dump-Page-Secret-5e7b";

let fixtures: FixtureServer;
let turn: TurnServer | null = null;
let downloads: string;
beforeAll(async () => {
  downloads = mkdtempSync(join(tmpdir(), "lab-dumps-"));
  [fixtures, turn] = await Promise.all([serveFixtures(), turnReason ? null : startTurnServer()]);
}, 60_000);
afterAll(() => {
  turn?.stop();
  fixtures?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});
const open = useChromePanel({ undocked: true }, 60_000);

const codesOf = (c: { findings: { code: string }[] }) => c.findings.map((f) => f.code).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the panel's live page connections until `settled` holds and the findings stop changing for 1.5 s (bounded). */
async function settledLive(settled: (list: PageConnectionInfo[]) => boolean): Promise<PageConnectionInfo[]> {
  let last = "";
  let since = Date.now();
  for (let i = 0; i < 250; i++) {
    const list = await lab(open.panel).call("pageConnections");
    const key = JSON.stringify(list.map(codesOf));
    if (key !== last) {
      last = key;
      since = Date.now();
    } else if (settled(list) && Date.now() - since >= 1500) return list;
    await sleep(100);
  }
  throw new Error(`the live recording did not settle: ${last}`);
}

/** The fixture, loaded and recorded live while webrtc-internals records; then its gzip dump. */
async function recordAndDump(
  name: Parameters<FixtureServer["url"]>[0],
  query: string,
  settled: (list: PageConnectionInfo[]) => boolean,
): Promise<{ live: PageConnectionInfo[]; fixture: Fixture; path: string }> {
  // The last page's connections end first: webrtc-internals lists every connection alive when it opens.
  await open.page.goto("about:blank");
  const internals = await openInternals(open.browser, downloads);
  try {
    await open.page.goto(`${fixtures.url(name)}${query}`);
    await lab(open.panel).call("recordPage");
    await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
      timeout: 30_000,
    });
    const fixture = await open.page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture);
    const live = await settledLive(settled);
    const path = await downloadDump(internals, downloads, "gzip");
    return { live, fixture, path };
  } finally {
    await internals.close();
  }
}

const openDump = (path: string): Promise<DumpInfo> =>
  lab(open.panel).call("openDump", {
    name: path.split("/").at(-1) ?? "dump",
    base64: readFileSync(path).toString("base64"),
  });

/**
 * The dump holds the fixture's first load (before Record reloaded it) and the recorded one: the
 * recorded load's connections are its last ones, made in the same order.
 */
function recordedLoad<T>(dumped: readonly T[], live: readonly unknown[]): T[] {
  return dumped.slice(dumped.length - live.length);
}

async function cliCodes(path: string): Promise<string[][]> {
  const run = await runCli(["--dump", path, "--json", "--quiet"]);
  expect(run.stderr).toBe("");
  const report = JSON.parse(run.stdout) as Report;
  expect(schemaErrors(report)).toEqual([]);
  expect(report.source).toBe("dump");
  return (report.dump?.connections ?? []).map(codesOf);
}

interface Case {
  name: Parameters<FixtureServer["url"]>[0];
  /** Codes the live recording must show, so the comparison cannot pass on nothing. */
  shows: string[];
  settled: (list: PageConnectionInfo[]) => boolean;
  query?: () => string;
}

const has = (code: string) => (list: PageConnectionInfo[]) =>
  list.some((c) => c.findings.some((f) => f.code === code));
const CASES: Case[] = [
  {
    name: "healthy",
    shows: ["channel-open"],
    settled: (l) => l.length === 2 && l.every((c) => c.findings.some((f) => f.code === "channel-open")),
  },
  {
    name: "never-opens",
    shows: ["page-no-remote-candidates", "page-channel-not-opened"],
    settled: has("page-channel-not-opened"),
  },
  { name: "early-candidates", shows: ["page-call-failed", "channel-open"], settled: has("page-call-failed") },
  { name: "bad-description", shows: ["page-call-failed"], settled: has("page-call-failed") },
  { name: "unanswered", shows: ["page-signaling-stalled"], settled: has("page-signaling-stalled") },
];

describe("dumps made from the fixture pages give the live recording's findings", () => {
  for (const c of CASES)
    it(`${c.name}: in the panel and through diagnose --dump`, async () => {
      const { live, fixture, path } = await recordAndDump(c.name, c.query?.() ?? "", c.settled);
      expect(fixture.error).toBeUndefined();
      const liveCodes = live.map(codesOf);
      for (const code of c.shows) expect(liveCodes.flat()).toContain(code);
      const dumped = await openDump(path);
      expect(recordedLoad(dumped.connections, live).map(codesOf)).toEqual(liveCodes);
      expect(recordedLoad(await cliCodes(path), live)).toEqual(liveCodes);
      if (c.name === "healthy") {
        // The channels' counts, from the statistics series, are the page's own.
        const counts = (l: PageConnectionInfo[]) =>
          l.flatMap((x) => x.channels.map((ch) => [ch.messagesSent, ch.messagesReceived]));
        expect(counts(live)).toEqual([
          [fixture.tally?.sent.messages, 0],
          [0, fixture.tally?.received.messages],
        ]);
        expect(counts(recordedLoad(dumped.connections, live))).toEqual(counts(live));
      }
    });

  it.skipIf(turnReason)(
    "a page whose TURN server refuses its password: the 401, and no credential anywhere",
    async () => {
      const query = `?${new URLSearchParams({ url: `turn:${TURN_HOST}:${TURN_PORT}?transport=udp`, user: TURN_USER, pass: PAGE_SECRET })}`;
      const { live, path } = await recordAndDump("turn-relay", query, has("page-no-relay"));
      const liveCodes = live.map(codesOf);
      expect(liveCodes.flat()).toEqual(expect.arrayContaining(["page-turn-refused", "page-no-relay"]));
      // The dump itself holds the password, in the page's URL: the panel and the command line must not.
      expect(readFileSync(path).length).toBeGreaterThan(0);
      const dumped = await openDump(path);
      expect(recordedLoad(dumped.connections, live).map(codesOf)).toEqual(liveCodes);
      expect(JSON.stringify(dumped)).not.toContain(PAGE_SECRET);
      const run = await runCli(["--dump", path, "--quiet"]);
      expect(run.stdout.replace(/\s+/g, " ")).toMatch(/refused the page's credentials \(error 401/);
      expect(run.stdout + run.stderr).not.toContain(PAGE_SECRET);
      const report = await lab(open.panel).call("report");
      expect(JSON.stringify(report)).not.toContain(PAGE_SECRET);
    },
  );
});

describe("Open dump in the panel, as a person uses it", () => {
  let path: string;
  let plain: string;
  let rtcstats: string;
  beforeAll(async () => {
    await open.page.goto("about:blank");
    const internals = await openInternals(open.browser, downloads);
    try {
      await open.page.goto(fixtures.url("never-opens"));
      await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
        timeout: 30_000,
      });
      await waitForLogged(internals, "close", 2);
      path = await downloadDump(internals, downloads, "gzip");
      plain = await downloadDump(internals, downloads, "plain");
      rtcstats = await downloadDump(internals, downloads, "rtcstats");
    } finally {
      await internals.close();
    }
  }, 60_000);

  it("reads the gzip file from the toolbar, shows its connections, findings and source, and offers their timelines", async () => {
    const input = (await open.panel.$("#open-dump")) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    await open.panel.waitForFunction(
      () => /peer connections?/.test(document.getElementById("dump-status")?.textContent ?? ""),
      { timeout: 20_000 },
    );
    const shown = await open.panel.evaluate(() => ({
      selected: document.querySelector('[role="tab"][aria-selected="true"]')?.textContent,
      status: document.getElementById("dump-status")?.textContent ?? "",
      source: document.getElementById("dump-source")?.textContent ?? "",
      rows: document.querySelectorAll("#dump-connections tbody tr").length,
      findings: document.getElementById("dump-findings")?.textContent ?? "",
      picked: (document.getElementById("timeline-connection") as HTMLSelectElement).selectedOptions[0]
        ?.textContent,
    }));
    expect(shown.selected).toBe("Dump");
    // Connections of earlier pages that were never closed linger until collected: a dump lists them too.
    const inDump = (await openDump(path)).connections.length;
    expect(inDump).toBeGreaterThanOrEqual(2);
    expect(shown.status).toMatch(
      new RegExp(`^webrtc_internals_dump\\.gz: ${inDump} peer connections, 2 with a failing finding`),
    );
    expect(shown.source).toMatch(
      /^A webrtc-internals dump made by .*HeadlessChrome\/156.* at \d{4}-.*; pages: .*http:\/\/127\.0\.0\.1:\d+\/never-opens\.html[;,]/,
    );
    expect(shown.rows).toBe(inDump);
    expect(shown.findings).toMatch(/Connection \d+: No remote ICE candidate ever reached this connection/);
    expect(shown.picked).toMatch(/^Dump: connection 1 \(\d+-\d+\)/);
    const report = await lab(open.panel).call("report");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.dump?.fileName).toBe("webrtc_internals_dump.gz");
    expect(report.dump?.connections.slice(-2).map(codesOf)).toEqual([
      ["page-channel-not-opened", "page-no-remote-candidates"],
      ["page-no-remote-candidates"],
    ]);
  });

  it("reads the plain and the rtcstats dump of the same page into the same findings", async () => {
    const gz = (await openDump(path)).connections.map(codesOf);
    expect((await openDump(plain)).connections.map(codesOf)).toEqual(gz);
    const fromRtcstats = await openDump(rtcstats);
    expect(fromRtcstats.source.format).toBe("rtcstats");
    expect(fromRtcstats.connections.map(codesOf)).toEqual(gz);
    expect(await cliCodes(rtcstats)).toEqual(gz);
  });

  it("opens a dump dropped onto the panel", async () => {
    const plainText = readFileSync(plain, "utf8");
    await lab(open.panel)
      .call("openDump", { name: "other.json", base64: Buffer.from("{}").toString("base64") })
      .catch(() => null);
    await open.panel.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "dropped_dump.txt", { type: "text/plain" }));
      const target = document.getElementById("timeline") ?? document.body;
      for (const type of ["dragenter", "dragover", "drop"])
        target.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    }, plainText);
    await open.panel.waitForFunction(
      () =>
        /^dropped_dump\.txt: \d+ peer connections?/.test(
          document.getElementById("dump-status")?.textContent ?? "",
        ),
      { timeout: 20_000 },
    );
    expect((await lab(open.panel).call("report")).dump?.fileName).toBe("dropped_dump.txt");
  });

  it("says what is wrong with a file that is not a dump, and keeps the dump shown", async () => {
    const input = (await open.panel.$("#open-dump")) as ElementHandle<HTMLInputElement>;
    await showTab(open.panel, "Dump");
    const notADump = join(downloads, "notes.txt");
    writeFileSync(notADump, "these are my notes");
    await input.uploadFile(notADump);
    await open.panel.waitForFunction(
      () =>
        /^notes\.txt: The file is neither JSON/.test(
          document.getElementById("dump-status")?.textContent ?? "",
        ),
      { timeout: 10_000 },
    );
    // The dump opened before is still shown, and still the one a report holds.
    const rows = await open.panel.evaluate(
      () => document.querySelectorAll("#dump-connections tbody tr").length,
    );
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(rows).toBe((await lab(open.panel).call("report")).dump?.connections.length);
  });
});

describe("diagnose --dump on a hostile dump", () => {
  it("prints the findings with no password, in lines a terminal can take, and a schema-valid report", async () => {
    const file = join(downloads, "hostile.gz");
    writeFileSync(file, hostileDump());
    const text = await runCli(["--dump", file, "--quiet"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/setRemoteDescription\(\) failed once/);
    const json = await runCli(["--dump", file, "--json", "--quiet"]);
    expect(schemaErrors(JSON.parse(json.stdout))).toEqual([]);
    const all = `${text.stdout}${text.stderr}${json.stdout}${json.stderr}`;
    expect(all).not.toContain(HOSTILE_SECRET);
    expect(Math.max(...text.stdout.split("\n").map((line) => line.length))).toBeLessThanOrEqual(200);
  });
});
