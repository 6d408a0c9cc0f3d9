// The inspected page's own TURN server, in the real Chrome DevTools panel, against a real TURN server
// (coturn): a page that allows only relayed paths and passes a wrong credential gets the server's
// 401 named, and a relay-only connection left without a relay; the credential the page used appears
// nowhere in what the panel shows, reports or saves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { showTab, useChromePanel } from "./chrome-panel";
import { type Fixture, type FixtureServer, serveFixtures } from "./page-fixtures";
import {
  homeTrusting,
  startTurnServer,
  TURN_HOST,
  TURN_PORT,
  TURN_USER,
  type TurnServer,
  turnUnavailableReason,
} from "./turn-server";

const reason = turnUnavailableReason();
/** Distinctive, so every output can be searched for it. */
const PAGE_WRONG_SECRET = "page-Wrong-Secret-91f3";

describe.skipIf(reason)("a page whose TURN server refuses its credentials", () => {
  let turn: TurnServer;
  let fixtures: FixtureServer;
  beforeAll(async () => {
    [turn, fixtures] = await Promise.all([startTurnServer(), serveFixtures()]);
  }, 60_000);
  afterAll(() => {
    turn?.stop();
    fixtures?.close();
  });
  const open = useChromePanel(() => {
    const home = homeTrusting(turn.certificate);
    return { undocked: true, ...(home ? { home } : {}) };
  }, 60_000);

  it("names the server's 401 and the missing relay, from what the page's connection saw", async () => {
    const query = new URLSearchParams({
      url: `turn:${TURN_HOST}:${TURN_PORT}?transport=udp`,
      user: TURN_USER,
      pass: PAGE_WRONG_SECRET,
    });
    await open.page.goto(`${fixtures.url("turn-relay")}?${query}`);
    await lab(open.panel).call("recordPage");
    await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
      timeout: 20_000,
    });
    const fixture = await open.page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture);
    expect(fixture.error).toBeUndefined();
    expect(fixture.checks?.relay).toBe(false);
    let list: PageConnectionInfo[] = [];
    for (let i = 0; i < 100; i++) {
      list = await lab(open.panel).call("pageConnections");
      if (list[0]?.findings.some((f) => f.code === "page-no-relay")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const findings = list[0]?.findings ?? [];
    expect(findings.find((f) => f.code === "page-turn-refused")?.message).toMatch(
      new RegExp(
        `^The TURN server turn:${TURN_HOST.replaceAll(".", "\\.")}:${TURN_PORT}\\?transport=udp refused the page's credentials \\(error 401, `,
      ),
    );
    expect(findings.find((f) => f.code === "page-no-relay")?.message).toMatch(
      /^The page asks for relay only, and gathering finished without a relay candidate \(1 ICE server configured: turn:192\.0\.2\.1:3478\?transport=udp\); the servers answered 401 from/,
    );
    const config = list[0]?.timeline.find((e) => e.kind === "configuration");
    expect(config?.detail).toEqual({
      servers: 1,
      urls: `turn:${TURN_HOST}:${TURN_PORT}?transport=udp`,
      policy: "relay",
      bundle: "balanced",
    });
  });

  it("keeps the page's credential out of the panel, the report and the page API", async () => {
    await showTab(open.panel, "Page");
    // Everything the panel holds: its text, and attributes such as tooltips.
    const shown = await open.panel.evaluate(() => document.documentElement.outerHTML);
    const report = JSON.stringify(await lab(open.panel).call("report"));
    const connections = JSON.stringify(await lab(open.panel).call("pageConnections"));
    expect(report).toContain("page-turn-refused");
    for (const text of [shown, report, connections]) {
      expect(text).not.toContain(PAGE_WRONG_SECRET);
      expect(text).not.toContain(TURN_USER === "lab" ? "user=lab" : TURN_USER);
    }
  });
});
