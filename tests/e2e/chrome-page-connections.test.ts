// The inspected page's own connections in the real Chrome DevTools panel: Record page connections
// reloads a fixture page served from 127.0.0.1 with the recorder; the panel shows its connections,
// each channel end's readyState history and exact counts, the findings of a channel that never
// opens, and stays responsive and text-only on a page that floods and forges. The fixture's own
// checks pass with and without the recorder.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { byRole, showTab, useChromePanel } from "./chrome-panel";
import { type Fixture, type FixtureServer, serveFixtures } from "./page-fixtures";
import { schemaErrors } from "./report-schema";

let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await serveFixtures();
}, 60_000);
afterAll(() => fixtures?.close());
const open = useChromePanel({ undocked: true }, 60_000);

const fixtureResult = async (): Promise<Fixture> => {
  await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
    timeout: 20_000,
  });
  return open.page.evaluate(() => (window as unknown as { fixture: Fixture }).fixture);
};
const pageConnections = (): Promise<PageConnectionInfo[]> => lab(open.panel).call("pageConnections");
/** Polls the panel until `ready` holds of its page connections (bounded). */
async function connectionsWhen(
  ready: (list: PageConnectionInfo[]) => boolean,
): Promise<PageConnectionInfo[]> {
  for (let i = 0; i < 100; i++) {
    const list = await pageConnections();
    if (ready(list)) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pageConnections();
}
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
    await open.page.goto(fixtures.url("hostile"));
    // Its script runs synchronously: once recordPage() has resolved (the page loaded), it has run.
    await lab(open.panel).call("recordPage");
    const list = await connectionsWhen((l) => l.length > 0);
    expect(list[0]?.channels[0]?.label).toBe('<img src=x onerror="window.pwned=1">');
    await open.panel.waitForFunction(
      () => /is not the recorder's/.test(document.getElementById("page-status")?.textContent ?? ""),
      {
        timeout: 10_000,
      },
    );
    await showTab(open.panel, "Page");
    const shown = await open.panel.evaluate(() => ({
      label: document.querySelector("#page-channels tbody td:nth-child(2)")?.textContent,
      images: document.querySelectorAll("#panel-page img, #timeline img").length,
      pwned: (window as { pwned?: unknown }).pwned ?? null,
    }));
    expect(shown).toEqual({ label: '<img src=x onerror="window.pwned=1"> (id 1)', images: 0, pwned: null });
    // Still responsive: a frame is drawn and the API answers (bounded waits, not a speed claim).
    await open.panel.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    const report = await lab(open.panel).call("report");
    expect(report.page?.refusedBatches).toBeGreaterThan(0);
    // The real recorder (which the page hid from the panel) stayed bounded under the flood.
    const real = await open.page.evaluate(() => {
      const key = Object.getOwnPropertyNames(window).find((k) =>
        k.startsWith("__loopbackLabRecorder_"),
      ) as string;
      const batch = (
        (Reflect.getOwnPropertyDescriptor(window, key) as PropertyDescriptor).value as {
          drain(): { events: unknown[]; connections: { channels: unknown[]; untrackedChannels: number }[] };
        }
      ).drain();
      return {
        events: batch.events.length,
        connections: batch.connections.length,
        channels: batch.connections[0]?.channels.length,
        untracked: batch.connections[0]?.untrackedChannels,
      };
    });
    expect(real.events).toBeLessThanOrEqual(2000);
    expect(real).toMatchObject({ connections: 30, channels: 40, untracked: 0 });
  });
});
