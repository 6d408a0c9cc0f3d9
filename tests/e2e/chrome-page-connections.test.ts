// The inspected page's own connections in the real Chrome DevTools panel: Record page connections
// reloads a fixture page served from 127.0.0.1 with the recorder; the panel shows its connections,
// each channel end's readyState history and exact counts, the findings of a channel that never
// opens, and stays responsive and text-only on a page that floods and forges. The fixture's own
// checks pass with and without the recorder.
import { describe, expect, it } from "vitest";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { byRole, showTab, useChromePanel } from "./chrome-panel";
import { blockedPage, forgedBatches, forgedProbe, pastTheCaps } from "./page-attacks";
import { type Fixture, fixtureHelpers, useFixtureServer } from "./page-fixtures";
import { schemaErrors } from "./report-schema";

const fixtures = useFixtureServer();
const open = useChromePanel({ undocked: true }, 60_000);

const { fixtureResult, connectionsWhen } = fixtureHelpers(open);
const pageConnections = (): Promise<PageConnectionInfo[]> => lab(open.panel).call("pageConnections");
const readyStates = (c: PageConnectionInfo, channel: number) =>
  c.timeline
    .filter((e) => e.source === `channel:${channel}` && e.property === "readyState")
    .map((e) => e.value);

describe("a page whose channel opens, carries known messages and closes", () => {
  let without: Fixture;
  let withRecorder: Fixture;
  let list: PageConnectionInfo[];

  it("the page's own checks pass without the recorder", async () => {
    await open.page.goto(fixtures.url("channel"));
    without = await fixtureResult();
    expect(without.error).toBeUndefined();
    expect(Object.values(without.checks ?? {})).not.toContain(false);
    expect(Object.keys(without.checks ?? {})).toHaveLength(6);
  });

  it("Record page connections reloads it with the recorder, and the page's checks still pass", async () => {
    await (await byRole(open.panel, "button", "Record page connections")).click();
    await open.panel.waitForFunction(
      () =>
        /^Recording http:\/\/127\.0\.0\.1:\d+/.test(
          document.getElementById("page-status")?.textContent ?? "",
        ),
      {
        timeout: 30_000,
      },
    );
    withRecorder = await fixtureResult();
    expect(withRecorder.error).toBeUndefined();
    expect(withRecorder.checks).toEqual(without.checks);
    expect(withRecorder.tally).toEqual(without.tally);
  });

  it("shows both connections, each channel end's connecting → open → closed, and exact counts", async () => {
    list = await connectionsWhen(
      (l) =>
        l.length === 2 && l.every((c) => c.channels.length === 1 && c.channels[0]?.readyState === "closed"),
    );
    expect(list.map((c) => c.id)).toEqual([1, 2]);
    const [a, b] = list as [PageConnectionInfo, PageConnectionInfo];
    expect(a.channels[0]).toMatchObject({ label: "chat", side: "local", ordered: true });
    expect(b.channels[0]).toMatchObject({ label: "chat", side: "remote", ordered: true });
    // The local end was created connecting; the remote end is as the browser hands it over (Chrome: open).
    expect(readyStates(a, 1).filter((s) => s !== "closing")).toEqual(["connecting", "open", "closed"]);
    const handedOver = b.timeline.find((e) => e.source === "channel:1" && e.property === "readyState");
    expect(handedOver).toMatchObject({ read: true });
    expect(["connecting", "open"]).toContain(handedOver?.value);
    expect(
      readyStates(b, 1)
        .filter((s) => s !== "closing")
        .slice(-2),
    ).toEqual(["open", "closed"]);
    for (const c of list) expect(c.frameUrl).toBe(`${new URL(fixtures.url("channel")).origin}/channel.html`);
    const tally = withRecorder.tally as NonNullable<Fixture["tally"]>;
    const chat = a.channels[0] as PageConnectionInfo["channels"][number];
    const other = b.channels[0] as PageConnectionInfo["channels"][number];
    // 5 texts and 3 binaries one way, 2 texts back: the recorder's counts are the page's own.
    expect([chat.messagesSent, other.messagesReceived, other.messagesSent, chat.messagesReceived]).toEqual([
      8, 8, 2, 2,
    ]);
    expect(chat.messagesSent + other.messagesSent).toBe(tally.sent.messages);
    expect(chat.bytesSent + other.bytesSent).toBe(tally.sent.bytes);
    expect(chat.messagesReceived + other.messagesReceived).toBe(tally.received.messages);
    expect(chat.bytesReceived + other.bytesReceived).toBe(tally.received.bytes);
    expect(chat.bytesSent).toBe(other.bytesReceived);
    // The message over maxMessageSize was refused by the browser: a finding, with its error.
    expect(chat.sendErrors).toBe(tally.refused);
    expect(a.findings.map((f) => f.code)).toEqual(["channel-open", "page-send-refused"]);
    expect(b.findings.map((f) => f.code)).toEqual(["channel-open"]);
    expect(
      a.timeline.some(
        (e) => e.source === "peer" && e.property === "candidate" && /^gathered host udp/.test(e.value),
      ),
    ).toBe(true);
  });

  it("the Page tab lists them with their counts, and a row opens its timeline", async () => {
    await showTab(open.panel, "Page");
    const cells = await open.panel.$$eval("#page-channels tbody tr", (rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(cells).toHaveLength(2);
    const streamId = (await pageConnections())[0]?.channels[0]?.streamId;
    expect(cells[0]?.slice(1, 6)).toEqual([
      `chat (id ${streamId})`,
      "local",
      "ordered, reliable",
      "closed",
      "8",
    ]);
    await (await byRole(open.panel, "button", "Show the timeline of page connection 2")).click();
    expect(
      await open.panel.$eval(
        "#timeline-connection",
        (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent,
      ),
    ).toBe("Page: connection 2");
    // The same state lanes as the loopback's: the channel by its label, then the peer's objects.
    // The lanes are redrawn on the next frame after the switch: wait for it, then read them.
    await open.panel.waitForFunction(
      () => [...document.querySelectorAll("#lanes .lane-name")].some((n) => n.textContent === "chat"),
      { timeout: 5000 },
    );
    const lanes = await open.panel.$$eval("#lanes .lane-name", (names) => names.map((n) => n.textContent));
    expect(lanes.slice(0, 4)).toEqual(["session", "chat", "connection", "ICE"]);
    if (process.env.UPDATE_SCREENSHOT) {
      await open.devtools.setViewport({ width: 1280, height: 640 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await open.devtools.screenshot({ path: "docs/panel-page.png" });
    }
    const report = await lab(open.panel).call("report");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.page?.origin).toBe(new URL(fixtures.url("channel")).origin);
    expect(report.page?.connections.map((c) => c.frameOrigin)).toEqual([
      report.page?.origin,
      report.page?.origin,
    ]);
    // No addresses: candidates carry type, protocol and family only.
    expect(JSON.stringify(report.page)).not.toMatch(/192\.0\.2\.1|127\.0\.0\.1:\d+\//);
  });

  for (const width of [400, 520, 1280])
    it(`the Page tab reads whole ${width} px wide: no cell cut, every Show timeline button in view`, async () => {
      await open.devtools.setViewport({ width, height: 900 });
      await open.panel.waitForFunction((w) => innerWidth === w, { timeout: 10_000 }, width);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = await open.panel.evaluate(() => {
        const pane = document.getElementById("panel-page") as HTMLElement;
        const box = pane.getBoundingClientRect();
        const buttons = [...pane.querySelectorAll("#page-connections button")].map((b) => {
          const r = b.getBoundingClientRect();
          return (
            r.left >= box.left &&
            r.right <= box.right + 0.5 &&
            (b as HTMLElement).scrollWidth <= b.clientWidth + 1
          );
        });
        return { overflow: pane.scrollWidth - pane.clientWidth, buttons };
      });
      expect(seen.overflow).toBeLessThanOrEqual(0);
      expect(seen.buttons).toEqual([true, true]);
    });
});

describe("a page whose channel can never open", () => {
  it("shows the connection and the stage it stopped at", async () => {
    await open.page.goto(fixtures.url("never-opens"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).error).toBeUndefined();
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-channel-not-opened")),
    );
    const [a] = list;
    expect(a?.channels[0]).toMatchObject({ label: "orders", readyState: "closed" });
    const notOpened = a?.findings.find((f) => f.code === "page-channel-not-opened");
    expect(notOpened?.message).toMatch(/^Channel "orders" \(local end\) never opened: ICE never connected/);
    expect(readyStates(a as PageConnectionInfo, 1)).not.toContain("open");
  });

  it("names the cause: no remote candidate ever reached either connection, and traces the calls", async () => {
    // Each side applied the other's description right after setLocalDescription: whether a candidate
    // made it into it is a race, so at least one of the two got none.
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-no-remote-candidates")),
    );
    const starved = list.filter((c) => c.findings.some((f) => f.code === "page-no-remote-candidates"));
    expect(starved.length).toBeGreaterThan(0);
    for (const c of starved) {
      const found = c.findings.find((f) => f.code === "page-no-remote-candidates");
      expect(found?.message).toMatch(
        /^No remote ICE candidate ever reached this connection: its remote description \((offer|answer), set at .+\) held none, and the page never called addIceCandidate\./,
      );
      // ICE never had a remote candidate to fail with: the finding does not say candidates were exchanged.
      expect(c.findings.map((f) => f.code)).not.toContain("ice-failed");
    }
    const steps = (c: PageConnectionInfo) =>
      c.timeline.filter((e) => e.kind && e.kind !== "candidate-gathered").map((e) => e.kind);
    expect(steps(list[0] as PageConnectionInfo)).toEqual([
      "configuration",
      "offer-created",
      "local-description-set",
      "remote-description-set",
    ]);
    expect(steps(list[1] as PageConnectionInfo)).toEqual([
      "configuration",
      "remote-description-set",
      "answer-created",
      "local-description-set",
    ]);
  });
});

describe("pages with the signaling bugs people write", () => {
  it("candidates added before the remote description: the failed call, how often, and why", async () => {
    await open.page.goto(fixtures.url("early-candidates"));
    await lab(open.panel).call("recordPage");
    const result = await fixtureResult();
    expect(result.error).toBeUndefined();
    expect(result.checks?.someRefused).toBe(true);
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-call-failed")),
    );
    const failed = list.flatMap((c) => c.findings).find((f) => f.code === "page-call-failed");
    expect(failed?.message).toMatch(
      /^addIceCandidate\(\) failed (once|\d+ times); the first, at .+: InvalidStateError: .+ Each was added before any remote description was set\.$/,
    );
    expect(failed?.hint).toMatch(/queue them until setRemoteDescription has resolved/);
  });

  it("a remote description the browser refuses: the call and the browser's words", async () => {
    await open.page.goto(fixtures.url("bad-description"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).checks?.refused).toBe(true);
    const list = await connectionsWhen((l) =>
      l.some((c) => c.findings.some((f) => f.code === "page-call-failed")),
    );
    const failed = list[0]?.findings.find((f) => f.code === "page-call-failed");
    expect(failed?.message).toMatch(/^setRemoteDescription\(\) failed once; the first, at .+: \w+Error: .+/);
  });

  it("an offer never answered: signaling stalled, once the wait is over", async () => {
    await open.page.goto(fixtures.url("unanswered"));
    await lab(open.panel).call("recordPage");
    expect((await fixtureResult()).checks?.offered).toBe(true);
    let list: PageConnectionInfo[] = [];
    for (let i = 0; i < 30; i++) {
      list = await pageConnections();
      if (list[0]?.findings.some((f) => f.code === "page-signaling-stalled")) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const stalled = list[0]?.findings.find((f) => f.code === "page-signaling-stalled");
    expect(stalled?.message).toMatch(
      /^The page set its offer at .+, and no answer was set in the 1\d s since \(signaling state "have-local-offer"\)\.$/,
    );
  });

  it("a negotiated channel with another id at its other end: both ends named, with both ids", async () => {
    await open.page.goto(fixtures.url("negotiated-mismatch"));
    await lab(open.panel).call("recordPage");
    const result = await fixtureResult();
    expect(result.error).toBeUndefined();
    expect(result.checks).toEqual({ bothOpen: true, noneArrived: true });
    const list = await connectionsWhen(
      (l) => l.filter((c) => c.findings.some((f) => f.code === "page-negotiated-id-mismatch")).length === 2,
    );
    const messages = list
      .flatMap((c) => c.findings.filter((f) => f.code === "page-negotiated-id-mismatch"))
      .map((f) => f.message);
    expect(messages).toEqual([
      expect.stringMatching(
        /^Channel "chat" is negotiated with id 0 here, and with id 1 at its other end \(connection \d+, in this page\)/,
      ),
      expect.stringMatching(
        /^Channel "chat" is negotiated with id 1 here, and with id 0 at its other end \(connection \d+, in this page\)/,
      ),
    ]);
  });

  it("a healthy page gets none of these", async () => {
    await open.page.goto(fixtures.url("channel"));
    await lab(open.panel).call("recordPage");
    await fixtureResult();
    const list = await connectionsWhen((l) => l.length >= 2 && l.every((c) => c.findings.length > 0));
    const codes = list.flatMap((c) => c.findings.map((f) => f.code));
    for (const code of [
      "page-no-remote-candidates",
      "page-call-failed",
      "page-signaling-stalled",
      "page-turn-refused",
      "page-no-relay",
      "ice-failed",
      "page-checks-unanswered",
      "page-negotiated-id-mismatch",
    ])
      expect(codes).not.toContain(code);
  });

  it("reads each connection's paths from getStats: the pair in use, with its round trip", async () => {
    const list = await connectionsWhen((l) => l.length >= 2 && l.every((c) => c.stats?.selected));
    for (const c of list) {
      expect(c.stats?.selected).toMatchObject({ local: "host", remote: expect.any(String), protocol: "udp" });
      expect((c.stats?.udp.responsesReceived ?? 0) + (c.stats?.tcp.responsesReceived ?? 0)).toBeGreaterThan(
        0,
      );
    }
    const report = await lab(open.panel).call("report");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.page?.connections[0]?.stats?.selected?.protocol).toBe("udp");
  });
});

describe("a page whose connections are made in a frame", () => {
  it("says the recorder runs in the top frame only, and invents nothing for the frame", async () => {
    await open.page.goto(fixtures.url("framed"));
    await lab(open.panel).call("recordPage");
    const frame = open.page.frames().find((f) => f.url().endsWith("/channel.html"));
    await frame?.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
      timeout: 20_000,
    });
    await open.panel.waitForFunction(
      () =>
        /This page has 1 frame: the recorder runs in the top frame only/.test(
          document.getElementById("page-status")?.textContent ?? "",
        ),
      { timeout: 10_000 },
    );
    // Why: Chrome ran the injected script in the top document only; the frame has no recorder.
    const frameHasRecorder = await frame?.evaluate(() =>
      Object.getOwnPropertyNames(window).some((k) => k.startsWith("__loopbackLabRecorder_")),
    );
    expect(frameHasRecorder).toBe(false);
    expect(await pageConnections()).toEqual([]);
  }, 60_000);
});

describe("a page that floods the recorder and forges its data", () => {
  it("stays responsive, refuses what is not the recorder's, and shows the rest as text only", async () => {
    await forgedBatches(open, fixtures);
    await showTab(open.panel, "Page");
    const label = await open.panel.evaluate(
      () => document.querySelector("#page-channels tbody td:nth-child(2)")?.textContent,
    );
    expect(label).toBe('<img src=x onerror="window.pwned=1"> (id 1)');
  });
});

describe("a page whose main thread is busy for seconds at a time", () => {
  it("loses no recorded history: every channel's open and close arrives, late", async () => {
    await blockedPage(open, fixtures);
  }, 90_000);
});

describe("a page with more connections and channels than the recorder tracks", () => {
  it("says what the caps left out, beside the list, and in the report", async () => {
    await pastTheCaps(open, fixtures);
  });
});

describe("the page's connections are the page's own", () => {
  it("running the diagnosis while recording leaves their count and tallies unchanged", async () => {
    await open.page.goto(fixtures.url("channel"));
    await lab(open.panel).call("recordPage");
    await fixtureResult();
    const before = await connectionsWhen((l) => l.length >= 2 && l.every((c) => c.findings.length > 0));
    const tallies = (list: PageConnectionInfo[]) =>
      list.map((c) =>
        c.channels.map((ch) => [ch.messagesSent, ch.messagesReceived, ch.bytesSent, ch.bytesReceived]),
      );
    const report = await lab(open.panel).call("runDiagnosis");
    // The diagnosis ran its probe in this page too: it opened there, and left nothing among the page's.
    expect(report.webPage?.page?.opened).toBe(true);
    const after = await pageConnections();
    expect(after.length).toBe(before.length);
    expect(tallies(after)).toEqual(tallies(before));
  });

  it("a page that rewrites the web-page probe's answer does not choose the diagnosis's words", async () => {
    await forgedProbe(open, fixtures);
  }, 60_000);

  it("a navigation marks the old document's connections ended, not left as they were", async () => {
    await open.page.goto(fixtures.url("unanswered"));
    const list = await connectionsWhen(
      (l) => l.length > 0 && l.every((c) => c.timeline.some((e) => e.kind === "document-left")),
    );
    for (const c of list) expect(c.timeline.at(-1)?.kind).toBe("document-left");
    await open.panel.waitForFunction(() =>
      /navigated or reloaded without the recorder/.test(
        document.getElementById("page-status")?.textContent ?? "",
      ),
    );
  });
});

describe("closing DevTools leaves nothing of the recorder in the page", () => {
  it("puts the page's own RTCPeerConnection and channel methods back, ends its timers and removes its global", async () => {
    await open.page.goto(fixtures.url("healthy"));
    await lab(open.panel).call("recordPage");
    await fixtureResult();
    await connectionsWhen((l) => l.length === 2);
    const traces = () =>
      open.page.evaluate(() => ({
        peer: RTCPeerConnection.toString().includes("[native code]"),
        send: RTCDataChannel.prototype.send.toString().includes("[native code]"),
        close: RTCDataChannel.prototype.close.toString().includes("[native code]"),
        globals: Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith("__loopbackLab")),
      }));
    // While recording, the recorder is there (its wrappers are ordinary functions).
    expect(await traces()).toMatchObject({ peer: false, send: false, globals: [expect.any(String)] });
    await open.devtools.close();
    // At once where the panel's last request reaches the page; otherwise once 20 s pass without a drain.
    await open.page.waitForFunction(
      () => !Object.getOwnPropertyNames(globalThis).some((n) => n.startsWith("__loopbackLab")),
      { timeout: 40_000 },
    );
    expect(await traces()).toEqual({ peer: true, send: true, close: true, globals: [] });
    // The page goes on working with its own classes.
    expect(
      await open.page.evaluate(async () => {
        const pc = new RTCPeerConnection();
        pc.createDataChannel("after");
        await pc.setLocalDescription(await pc.createOffer());
        const ok = pc.localDescription?.type === "offer";
        pc.close();
        return ok;
      }),
    ).toBe(true);
  });
});
