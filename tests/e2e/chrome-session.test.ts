// The loopback sample in the real Chrome DevTools panel, driven by role and name like a person would.
import { describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { byRole, controlStates, IDLE_CONTROLS, OPEN_CONTROLS, useChromePanel } from "./chrome-panel";
import { HOSTILE_MESSAGES, panelSteps } from "./panel-steps";

const open = useChromePanel();

const { timeline, receivedTexts, noticeText, phase, waitForOpen, waitForIdle, sendAndSeeText } = panelSteps(
  () => open.panel,
);

describe("the loopback sample in the Chrome DevTools panel", () => {
  it("renders its title and heading", async () => {
    expect(await open.panel.title()).toBe("Loopback");
    expect(
      await (await byRole(open.panel, "heading", "WebRTC Loopback Lab")).evaluate((h) => h.tagName),
    ).toBe("H1");
  });

  it("starts with only Connect enabled", async () => {
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);
  });

  it("connects, sends text (hostile markup included) that arrives as text, and disconnects", async () => {
    await (await byRole(open.panel, "button", "Connect")).click();
    await waitForOpen();
    expect(await controlStates(open.panel)).toEqual(OPEN_CONTROLS);
    expect(await open.panel.evaluate(() => document.activeElement?.id)).toBe("message");
    expect(await phase()).toBe("Channel open");

    await sendAndSeeText(HOSTILE_MESSAGES);

    await (await byRole(open.panel, "button", "Disconnect")).click();
    await waitForIdle();
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);
  });

  it("put every transition of both ends and both peers on the timeline, in order", async () => {
    const entries = await timeline();
    const values = (source: string, property: string) =>
      entries.filter((e) => e.source === source && e.property === property).map((e) => e.value);

    // "closing" shows only where the browser reports it before the peer goes.
    const withoutClosing = (list: string[]) => list.filter((v) => v !== "closing");
    expect(withoutClosing(values("sendChannel", "readyState"))).toEqual(["connecting", "open", "closed"]);
    expect(withoutClosing(values("receiveChannel", "readyState")).slice(-2)).toEqual(["open", "closed"]);
    for (const peer of ["localPeer", "remotePeer"]) {
      expect(values(peer, "signalingState")).toEqual(
        peer === "localPeer"
          ? ["stable", "have-local-offer", "stable", "closed"]
          : ["stable", "have-remote-offer", "stable", "closed"],
      );
      expect(values(peer, "iceGatheringState").slice(0, 2)).toEqual(["new", "gathering"]);
      expect(values(peer, "iceConnectionState")).toEqual(
        expect.arrayContaining(["new", "checking", "connected", "closed"]),
      );
      expect(values(peer, "connectionState")).toEqual(
        expect.arrayContaining(["new", "connecting", "connected", "closed"]),
      );
    }
    for (const transport of ["localSctp", "remoteSctp", "localDtls", "remoteDtls"]) {
      expect(values(transport, "state")).toContain("connected");
      expect(values(transport, "state").at(-1)).toBe("closed");
    }
    // The steps of the handshake, in the order they must happen.
    const steps = entries.filter((e) => e.property === "step").map((e) => e.value);
    const order = [
      "connect",
      "offer created",
      "local description set (offer)",
      "remote description set (offer)",
      "answer created",
      "local description set (answer)",
      "remote description set (answer)",
      "open",
      "closed",
    ];
    expect(steps.filter((s) => order.includes(s))).toEqual(order);
    expect(steps).toContain("channel handed over (ondatachannel)");
    const gathered = entries.filter((e) => e.property === "candidate" && e.value.startsWith("gathered"));
    const added = entries.filter((e) => e.property === "candidate" && e.value.startsWith("added"));
    expect(gathered.length).toBeGreaterThan(0);
    expect(added.length).toBe(gathered.length);
    expect(gathered[0]?.detail).toMatchObject({
      type: expect.any(String),
      protocol: expect.any(String),
      family: expect.any(String),
    });
    // Times never run backwards, and what close() ended is recorded by the engine and marked so.
    expect(entries.map((e) => e.t)).toEqual([...entries.map((e) => e.t)].sort((a, b) => a - b));
    expect(entries.filter((e) => e.synthetic).map((e) => `${e.source}.${e.property}`)).toEqual(
      expect.arrayContaining(["localPeer.connectionState", "remotePeer.connectionState"]),
    );
    // It ends with both channel ends closed, after both peers, then the session's own last word.
    expect(entries.at(-1)).toMatchObject({ source: "session", value: "closed" });
    const lastIndex = (source: string) => entries.findLastIndex((e) => e.source === source);
    for (const channel of ["sendChannel", "receiveChannel"]) {
      expect(entries[lastIndex(channel)]?.value).toBe("closed");
      expect(lastIndex(channel)).toBeGreaterThan(lastIndex("localPeer"));
      expect(lastIndex(channel)).toBeGreaterThan(lastIndex("remotePeer"));
    }
    // The table shows every entry, and the lanes one lane per object.
    const rows = await open.panel.evaluate(
      () => document.querySelectorAll('table[aria-label="Timeline"] tbody tr').length,
    );
    expect(rows).toBe(entries.length);
  });

  it("refuses bad input with a clear message and loses nothing", async () => {
    await (await byRole(open.panel, "button", "Connect")).click();
    await waitForOpen();
    // Empty: refused, channel stays open.
    await (await byRole(open.panel, "button", "Send")).click();
    await open.panel.waitForFunction(
      () => (document.querySelector('[role="alert"]')?.textContent ?? "").length > 0,
    );
    expect(await noticeText()).toMatch(/empty/i);

    // Larger than the negotiated maximum: refused before sending, text stays, channel stays open.
    const max = (await lab(open.panel).call("report")).sctp?.maxMessageSize ?? 0;
    expect(max).toBeGreaterThan(0);
    await open.panel.evaluate((size) => {
      const box = document.getElementById("message") as HTMLInputElement;
      box.value = "x".repeat(size + 1);
    }, max);
    await (await byRole(open.panel, "button", "Send")).click();
    await open.panel.waitForFunction(() =>
      /at most/.test(document.querySelector('[role="alert"]')?.textContent ?? ""),
    );
    expect(await noticeText()).toContain(max.toLocaleString("en"));
    expect(
      await open.panel.evaluate(() => (document.getElementById("message") as HTMLInputElement).value.length),
    ).toBe(max + 1);
    expect(await phase()).toBe("Channel open");
    const refused = await lab(open.panel).callCatching("send", "é".repeat(Math.ceil((max + 1) / 2)));
    expect(refused.ok ? "sent" : refused.error.code).toBe("too-large");

    // Exactly at the limit, long text, emoji and right-to-left text arrive unchanged.
    const tricky = [
      "y".repeat(max),
      "🙂".repeat(1000),
      "\u202Eright-to-left override\u202C",
      "عربي mixed עברית 123",
    ];
    const before = (await receivedTexts()).length;
    for (const text of tricky) await lab(open.panel).call("send", text);
    await open.panel.waitForFunction(
      (n) => document.querySelectorAll("#received li").length >= n,
      {},
      before + tricky.length,
    );
    expect((await receivedTexts()).slice(before)).toEqual(tricky);
    await lab(open.panel).call("disconnect");
    await waitForIdle();
  });

  it("never makes two sessions, however often Connect is asked", async () => {
    const result = await lab(open.panel).evaluate(async (lab) => {
      const a = lab.connect();
      const b = lab.connect();
      document.getElementById("connect")?.click();
      await a;
      const c = lab.connect();
      await c;
      const connects = lab
        .report()
        .timeline.filter((e) => e.source === "session" && e.value === "connect").length;
      await lab.disconnect();
      return { same: a === b && b === c, connects };
    });
    expect(result).toEqual({ same: true, connects: 1 });
    await waitForIdle();
  });

  it("disconnects cleanly at any moment: before the remote channel arrives and during ICE", async () => {
    const results = await lab(open.panel).evaluate(async (lab) => {
      const outcome = async (waitFor: (values: string[]) => boolean) => {
        const pending = lab.connect().then(
          () => "opened",
          (e: { code?: string }) => e.code,
        );
        while (!waitFor(lab.report().timeline.map((e) => `${e.source}.${e.property}.${e.value}`))) {
          await new Promise((r) => setTimeout(r, 1));
        }
        await lab.disconnect();
        const settled = await pending;
        const entries = lab.report().timeline;
        return {
          settled,
          last: entries.at(-1)?.value,
          sendClosed: entries.filter((e) => e.source === "sendChannel").at(-1)?.value,
          receive: entries.filter((e) => e.source === "receiveChannel").at(-1)?.value ?? "never",
        };
      };
      return [
        await outcome(() => true),
        await outcome((v) => v.includes("localPeer.step.offer created")),
        await outcome((v) => v.some((s) => s.endsWith("iceConnectionState.checking"))),
      ];
    });
    for (const r of results) {
      expect(r.last).toBe("closed");
      expect(r.sendClosed).toBe("closed");
      expect(["closed", "never"]).toContain(r.receive);
    }
    expect(results[0]?.settled).toBe("cancelled");
    expect(results[1]?.settled).toBe("cancelled");
    await waitForIdle();
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);
  });

  it("keeps the received log bounded in a long session and says what it dropped", async () => {
    const count = await lab(open.panel).evaluate(async (lab) => {
      await lab.connect();
      for (let i = 0; i < 1200; i++) await lab.send(`message ${i}`);
      return 1200;
    });
    await open.panel
      .waitForFunction(
        () => document.querySelector("#received li:last-child")?.textContent === "message 1199",
        { timeout: 20_000 },
      )
      .catch(async (error) => {
        const state = {
          ...(await open.panel.evaluate(() => ({
            last: document.querySelector("#received li:last-child")?.textContent,
            n: document.querySelectorAll("#received li").length,
            phase: document.querySelector('[role="status"]')?.textContent,
          }))),
          tail: (await lab(open.panel).call("report")).timeline.slice(-5),
        };
        throw new Error(`${error}: ${JSON.stringify(state)}`);
      });
    const shown = await open.panel.evaluate(() => ({
      items: document.querySelectorAll("#received li").length,
      dropped: document.getElementById("received-dropped")?.textContent ?? "",
      hidden: (document.getElementById("received-dropped") as HTMLElement).hidden,
    }));
    expect(shown.items).toBe(500);
    expect(shown.hidden).toBe(false);
    expect(shown.dropped).toContain(`${(count - 500).toLocaleString("en")} older messages dropped`);
    await lab(open.panel).call("disconnect");
    await waitForIdle();
  });

  it("holds up for hundreds of Connect/Disconnect cycles, past Chrome's limit of about 500 peer connections", async () => {
    const cycles = 260;
    const outcome = await lab(open.panel).evaluate(async (lab, n) => {
      const errors: string[] = [];
      for (let i = 0; i < n; i++) {
        try {
          await lab.connect();
          await lab.send(`cycle ${i}`);
        } catch (error) {
          errors.push(`${i}: ${String(error)}`);
        }
        await lab.disconnect();
      }
      return { errors: errors.slice(0, 5), findings: lab.report().findings.map((f) => f.code) };
    }, cycles);
    expect(outcome.errors).toEqual([]);
    expect(outcome.findings).toEqual(["channel-open"]);
    // The panel still works afterwards, through the UI.
    await (await byRole(open.panel, "button", "Connect")).click();
    await waitForOpen();
    await (await byRole(open.panel, "button", "Disconnect")).click();
    await waitForIdle();
  }, 300_000);

  it("follows the DevTools theme", async () => {
    const theme = await open.panel.evaluate(() => ({
      devtools: (globalThis as unknown as { chrome: { devtools: { panels: { themeName: string } } } }).chrome
        .devtools.panels.themeName,
      applied: document.documentElement.dataset.theme,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect(theme.applied).toBe(theme.devtools === "dark" ? "dark" : "light");
    expect(theme.background).toBe(theme.applied === "dark" ? "rgb(32, 33, 36)" : "rgb(255, 255, 255)");
  });

  it("stays usable when DevTools is narrow", async () => {
    await open.devtools.setViewport({ width: 320, height: 700 });
    await open.panel.waitForFunction(() => innerWidth <= 320, { timeout: 10_000 });
    const layout = await open.panel.evaluate(() => {
      const overflowing = [...document.querySelectorAll("button, input")].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > innerWidth + 1 || box.left < -1);
      });
      return {
        scrolls: document.documentElement.scrollWidth > innerWidth + 1,
        overflowing: overflowing.map((el) => el.id),
      };
    });
    expect(layout).toEqual({ scrolls: false, overflowing: [] });
  });
});
