// The loopback sample in Firefox ESR: the real panel bundle of the installed extension, driven by
// role and name like a person would, with real RTCPeerConnections and a real data channel.
import { describe, expect, it } from "vitest";
import { FIREFOX_PANEL_URL } from "../../src/cli/firefox-panel";
import { lab } from "../../src/contract/lab-client";
import { byRole, controlStates, IDLE_CONTROLS, OPEN_CONTROLS } from "./by-role";
import { useFirefoxPanel } from "./firefox-panel";
import { HOSTILE_MESSAGES, panelSteps } from "./panel-steps";

const open = useFirefoxPanel();

const {
  timeline,
  receivedTexts,
  noticeText,
  phase,
  waitForOpen,
  waitForIdle,
  sendAndSeeText,
  expectLaneLikeTable,
} = panelSteps(() => open.panel);

describe("the loopback sample in Firefox", () => {
  it("is the installed extension's own panel page, with its title and heading", async () => {
    expect(open.extensionId).toBe("loopback-lab@webrtc-loopback-lab.dev");
    expect(await open.panel.evaluate(() => window.location.href)).toBe(FIREFOX_PANEL_URL);
    expect(await open.panel.title()).toBe("Loopback");
    expect(
      await (await byRole(open.panel, "heading", "WebRTC Loopback Lab")).evaluate((h) => h.tagName),
    ).toBe("H1");
  });

  it("starts with only Connect enabled", async () => {
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);
    expect(await phase()).toBe("Not connected");
  });

  it("connects, sends text (hostile markup included) that arrives as text, and disconnects", async () => {
    await (await byRole(open.panel, "button", "Connect")).click();
    await waitForOpen();
    expect(await controlStates(open.panel)).toEqual(OPEN_CONTROLS);
    expect(await phase()).toBe("Channel open");

    await sendAndSeeText(HOSTILE_MESSAGES);

    await (await byRole(open.panel, "button", "Disconnect")).click();
    await waitForIdle();
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);
    expect(await phase()).toBe("Not connected");
  });

  it("put the transitions of both channel ends and both peers on the timeline table", async () => {
    const entries = await timeline();
    const values = (source: string, property: string) =>
      entries.filter((e) => e.source === source && e.property === property).map((e) => e.value);

    for (const end of ["sendChannel", "receiveChannel"]) {
      expect(values(end, "readyState")).toContain("open");
      expect(values(end, "readyState").at(-1)).toBe("closed");
    }
    expect(values("sendChannel", "readyState")[0]).toBe("connecting");
    for (const peer of ["localPeer", "remotePeer"]) {
      expect(values(peer, "signalingState")).toEqual(
        peer === "localPeer"
          ? ["stable", "have-local-offer", "stable", "closed"]
          : ["stable", "have-remote-offer", "stable", "closed"],
      );
      expect(values(peer, "iceConnectionState")).toEqual(
        expect.arrayContaining(["new", "checking", "connected", "closed"]),
      );
      expect(values(peer, "connectionState")).toEqual(
        expect.arrayContaining(["new", "connecting", "connected", "closed"]),
      );
    }
    // Firefox exposes the SCTP and DTLS transports too, so their states are on the timeline.
    for (const transport of ["localSctp", "remoteSctp", "localDtls", "remoteDtls"]) {
      expect(values(transport, "state")).toContain("connected");
    }
    // Firefox hides host addresses behind mDNS names by default, and the loopback connects anyway.
    const gathered = entries.filter((e) => e.property === "candidate" && e.value.startsWith("gathered"));
    expect(gathered.length).toBeGreaterThan(0);
    expect(gathered.every((e) => e.detail?.mdns === true)).toBe(true);
    expect(entries.map((e) => e.t)).toEqual([...entries.map((e) => e.t)].sort((a, b) => a - b));

    // The table a person reads holds the same entries.
    const table = await byRole(open.panel, "table", "Timeline");
    const rows = await table.evaluate((t) =>
      [...(t as HTMLTableElement).rows].slice(1).map((r) =>
        [...r.cells]
          .slice(1, 4)
          .map((c) => c.textContent)
          .join(" "),
      ),
    );
    expect(rows).toEqual(entries.map((e) => `${e.source} ${e.property} ${e.value}`));
    // And the state lanes draw each channel end's readyState with the table's times.
    for (const end of ["sendChannel", "receiveChannel"]) {
      const drawn = await expectLaneLikeTable(end);
      expect(drawn).toContain("open");
      expect(drawn.at(-1)).toBe("closed");
    }
    for (const row of [
      "sendChannel readyState open",
      "receiveChannel readyState open",
      "localPeer connectionState connected",
      "remotePeer connectionState connected",
    ]) {
      expect(rows).toContain(row);
    }
  });

  it("refuses an empty message with a message, and the channel stays open", async () => {
    await (await byRole(open.panel, "button", "Connect")).click();
    await waitForOpen();
    await (await byRole(open.panel, "button", "Send")).click();
    await open.panel.waitForFunction(
      () => (document.querySelector('[role="alert"]')?.textContent ?? "").length > 0,
    );
    expect(await noticeText()).toMatch(/empty/i);
    expect(await phase()).toBe("Channel open");
    const api = await lab(open.panel).callCatching("send", "");
    expect(api.ok ? "sent" : api.error.code).toBe("empty-message");
  });

  it("reports the SCTP limits Firefox negotiated, and refuses a message one byte over them", async () => {
    const report = await lab(open.panel).call("report");
    expect(report.schema).toBe("webrtc-loopback-report/2");
    expect(Number.isNaN(Date.parse(report.createdAt))).toBe(false);
    expect(report.findings.map((f) => f.code)).toEqual(["channel-open"]);
    expect(report.timelineDropped).toBe(0);
    // Firefox negotiates about 1 GiB where Chrome says 256 KiB.
    const max = report.sctp?.maxMessageSize ?? 0;
    expect(max).toBeGreaterThan(256 * 1024);
    // Firefox strings stop just short of 2^30 characters, so go over the limit in bytes with a
    // three-byte character. The text is made inside the panel: a gigabyte does not cross BiDi.
    const before = (await receivedTexts()).length;
    const outcome = await lab(open.panel).evaluate(async (lab, size) => {
      const text = "€".repeat(Math.floor(size / 3) + 1);
      const code = await lab.send(text).then(
        () => "sent",
        (e: { code?: string }) => e.code,
      );
      return { code, phase: document.getElementById("phase")?.textContent };
    }, max);
    expect(outcome).toEqual({ code: "too-large", phase: "Channel open" });

    // Nothing went out: the channel is ordered, so the next message to arrive is the one sent next.
    // Emoji and right-to-left text arrive unchanged too.
    const tricky = [
      "after the refusal",
      "🙂".repeat(1000),
      "\u202Eright-to-left override\u202C",
      "عربي mixed עברית 123",
    ];
    for (const text of tricky) await lab(open.panel).call("send", text);
    await open.panel.waitForFunction(
      (n) => document.querySelectorAll("#received li").length >= n,
      {},
      before + tricky.length,
    );
    expect((await receivedTexts()).slice(before)).toEqual(tricky);
    await (await byRole(open.panel, "button", "Disconnect")).click();
    await waitForIdle();
    // Building and measuring a gigabyte of text in the panel takes Firefox tens of seconds here.
  }, 300_000);

  it("says plainly that recording page connections needs DevTools, where the panel page runs in a tab", async () => {
    const recorded = await lab(open.panel).callCatching("recordPage");
    const refused = recorded.ok ? "recorded" : recorded.error.message;
    expect(refused).toMatch(/needs the panel inside DevTools/);
  });

  it("refuses to send when nothing is connected", async () => {
    const sent = await lab(open.panel).callCatching("send", "hello");
    expect(sent.ok ? "sent" : sent.error.code).toBe("not-open");
  });
});
