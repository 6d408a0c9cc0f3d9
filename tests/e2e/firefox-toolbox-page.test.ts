// Record page connections in Firefox's own DevTools toolbox: inspectedWindow.reload with an injected
// script, on the same fixture pages as Chrome's suite, each bug named from the recorder's evidence.
// A toolbox of its own: in the toolbox that had run a diagnosis, every inspectedWindow call failed
// on the fourth new URL in Firefox 153 (firefox-toolbox-reload.test.ts has that case).
import { describe, expect, it } from "vitest";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { clickInToolbox, useFirefoxToolbox } from "./firefox-panel";
import { blockedPage, forgedBatches, forgedProbe, pastTheCaps } from "./page-attacks";
import { type Fixture, fixtureHelpers, useFixtureServer } from "./page-fixtures";

const open = useFirefoxToolbox();
const fixtures = useFixtureServer();

const click = clickInToolbox(open);

const { fixtureResult, connectionsWhen } = fixtureHelpers(open);

describe("Record page connections in Firefox's toolbox (inspectedWindow.reload with injectedScript)", () => {
  it("records a page whose channel opens and closes: its counts are the page's own, its checks unchanged", async () => {
    await open.page.goto(fixtures.url("channel"));
    const without = await fixtureResult();
    expect(without.error).toBeUndefined();
    await click("record-page");
    await open.panel.waitForFunction(
      () =>
        /^Recording http:\/\/127\.0\.0\.1:\d+/.test(
          document.getElementById("page-status")?.textContent ?? "",
        ),
      { timeout: 30_000 },
    );
    const withRecorder = await fixtureResult();
    expect(withRecorder.checks).toEqual(without.checks);
    expect(withRecorder.tally).toEqual(without.tally);
    const list = await connectionsWhen(
      (l) =>
        l.length === 2 && l.every((c) => c.channels.length === 1 && c.channels[0]?.readyState === "closed"),
    );
    const [a, b] = list as [PageConnectionInfo, PageConnectionInfo];
    const tally = withRecorder.tally as NonNullable<Fixture["tally"]>;
    const [chat, other] = [a.channels[0], b.channels[0]] as PageConnectionInfo["channels"];
    expect((chat?.messagesSent ?? 0) + (other?.messagesSent ?? 0)).toBe(tally.sent.messages);
    expect((chat?.bytesSent ?? 0) + (other?.bytesSent ?? 0)).toBe(tally.sent.bytes);
    expect((chat?.messagesReceived ?? 0) + (other?.messagesReceived ?? 0)).toBe(tally.received.messages);
    for (const c of list) expect(c.findings.map((f) => f.code)).toContain("channel-open");
  });

  it("names the cause of a channel that never opens: no remote candidate ever reached the connection", async () => {
    await open.page.goto(fixtures.url("never-opens"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).error).toBeUndefined();
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-no-remote-candidates")),
    );
    const found = list.flatMap((c) => c.findings).find((f) => f.code === "page-no-remote-candidates");
    expect(found?.message).toMatch(/^No remote ICE candidate ever reached this connection/);
    expect(list.flatMap((c) => c.findings.map((f) => f.code))).not.toContain("ice-failed");
  });

  it("names a call the page swallowed: candidates added before the remote description", async () => {
    await open.page.goto(fixtures.url("early-candidates"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).checks?.someRefused).toBe(true);
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-call-failed")),
    );
    const failed = list.flatMap((c) => c.findings).find((f) => f.code === "page-call-failed");
    expect(failed?.message).toMatch(
      /^addIceCandidate\(\) failed (once|\d+ times); the first, at .+: \w+Error: /,
    );
  });

  it("names a description the browser refused, in the browser's words", async () => {
    await open.page.goto(fixtures.url("bad-description"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).checks?.refused).toBe(true);
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-call-failed")),
    );
    const failed = list[0]?.findings.find((f) => f.code === "page-call-failed");
    expect(failed?.message).toMatch(/^setRemoteDescription\(\) failed once; the first, at .+: \w+Error: .+/);
  });

  it("names a negotiated channel with another id at its other end, on both ends", async () => {
    await open.page.goto(fixtures.url("negotiated-mismatch"));
    await lab(open.panel).call("recordPage");
    expect(await fixtureResult()).toMatchObject({ checks: { bothOpen: true, noneArrived: true } });
    const list = await connectionsWhen(
      (l) => l.filter((c) => c.findings.some((f) => f.code === "page-negotiated-id-mismatch")).length === 2,
    );
    const messages = list
      .flatMap((c) => c.findings.filter((f) => f.code === "page-negotiated-id-mismatch"))
      .map((f) => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Channel "chat" is negotiated with id 0 here, and with id 1 at its other end/),
      expect.stringMatching(/^Channel "chat" is negotiated with id 1 here, and with id 0 at its other end/),
    ]);
  });
});

// The same attacks as in Chrome's suite (page-attacks.ts); the diagnosis last, since a recording
// after a diagnosis in the same toolbox can meet the problem described above.
describe("pages that attack the recorder or the diagnosis, in Firefox's toolbox", () => {
  it("a page that forges the recorder's answers: refused or shown as text only, the real recorder bounded", async () => {
    await forgedBatches(open, fixtures);
  });

  it("a page whose main thread is busy for seconds at a time loses no recorded history", async () => {
    await blockedPage(open, fixtures);
  }, 90_000);

  it("a page past the recorder's caps: what they left out is said beside the list and in the report", async () => {
    await pastTheCaps(open, fixtures);
  });

  it("a page that rewrites the web-page probe's answer does not choose the diagnosis's words", async () => {
    await forgedProbe(open, fixtures);
  }, 60_000);
});
