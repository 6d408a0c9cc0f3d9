// The Loopback panel in Firefox's own DevTools toolbox, as a person opens it: the extension installed
// as it ships, an ordinary page on 127.0.0.1 inspected, the toolbox docked at the bottom with
// Loopback selected. What only a real toolbox has is tested here: browser.devtools (inspectedWindow,
// the theme), the web-page probe, and the panel's size when docked. Clicks are the page's own
// element.click(): Puppeteer's element handles do not reach a toolbox panel's document.
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { runCli } from "./cli-runner";
import { clickInToolbox, useFirefoxToolbox } from "./firefox-panel";
import { schemaErrors } from "./report-schema";

const open = useFirefoxToolbox();

const click = clickInToolbox(open);

/** DevTools' theme, switched as its settings do (the devtools.theme pref). */
const setTheme = (theme: "light" | "dark") =>
  open.panel.inBrowserWindow((theme) => {
    (
      globalThis as unknown as { Services: { prefs: { setCharPref(k: string, v: string): void } } }
    ).Services.prefs.setCharPref("devtools.theme", theme);
  }, theme);

/** What the panel shows of the theme: DevTools' name for it and the computed colours of its parts. */
const shownTheme = () =>
  open.panel.evaluate(() => {
    // What shows behind an element: its own background, or the nearest one under it.
    const background = (selector: string) => {
      for (let e = document.querySelector(selector); e; e = e.parentElement) {
        const colour = getComputedStyle(e).backgroundColor;
        if (colour !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(colour)) return colour;
      }
      return null;
    };
    return {
      themeName: (globalThis as unknown as { browser: { devtools: { panels: { themeName: string } } } })
        .browser.devtools.panels.themeName,
      body: getComputedStyle(document.body).backgroundColor,
      lanes: background(".lanes-box"),
      table: background("#timeline table") ?? background("#timeline"),
    };
  });

/** The mean of an "rgb(r, g, b)" colour's channels: under 100 is dark, over 180 light. */
const lightness = (colour: string | null) => {
  const [r, g, b] = (colour ?? "").match(/\d+(\.\d+)?/g)?.map(Number) ?? [];
  return r !== undefined && g !== undefined && b !== undefined ? (r + g + b) / 3 : Number.NaN;
};

describe("the Loopback panel in Firefox's toolbox", () => {
  it("is the installed extension's panel, in DevTools, inspecting the served page", async () => {
    expect(open.extensionId).toBe("loopback-lab@webrtc-loopback-lab.dev");
    const where = await open.panel.evaluate(
      () =>
        new Promise<{ href: string; inspected: unknown; title: string }>((resolve) => {
          const devtools = (
            globalThis as unknown as {
              browser: { devtools: { inspectedWindow: { eval(e: string): Promise<[unknown, unknown]> } } };
            }
          ).browser.devtools;
          void devtools.inspectedWindow
            .eval("location.href")
            .then(([inspected]) => resolve({ href: location.href, inspected, title: document.title }));
        }),
    );
    expect(where.href).toMatch(/^moz-extension:\/\/[0-9a-f-]{36}\/panel\/panel\.html$/);
    expect(where.inspected).toBe(open.page.url());
    expect(where.title).toBe("Loopback");
  });

  it("connects from its button, carries text, and puts both channel ends' states on the timeline", async () => {
    await click("connect");
    await open.panel.waitForFunction(
      () => !(document.getElementById("message") as HTMLInputElement).disabled,
      {
        timeout: 20_000,
      },
    );
    await lab(open.panel).call("send", "<b>hello</b> from the toolbox 🙂");
    await open.panel.waitForFunction(() => document.querySelectorAll("#received li").length >= 1, {
      timeout: 10_000,
    });
    const received = await open.panel.evaluate(() => ({
      texts: [...document.querySelectorAll("#received li")].map((li) => li.textContent),
      parsed: document.querySelectorAll("#received b").length,
    }));
    expect(received).toEqual({ texts: ["<b>hello</b> from the toolbox 🙂"], parsed: 0 });
    await click("disconnect");
    await open.panel.waitForFunction(
      () => !(document.getElementById("connect") as HTMLButtonElement).disabled,
      {
        timeout: 20_000,
      },
    );
    const { timeline } = await lab(open.panel).call("report");
    for (const end of ["sendChannel", "receiveChannel"]) {
      const states = timeline
        .filter((e) => e.source === end && e.property === "readyState")
        .map((e) => e.value);
      expect(states).toContain("open");
      expect(states.at(-1)).toBe("closed");
    }
  });

  it("diagnoses with the web-page probe in the inspected page, and the report says where it ran", async () => {
    const report = await lab(open.panel).call("runDiagnosis");
    expect(schemaErrors(report)).toEqual([]);
    expect(report.openedIn).toBe("devtools");
    expect(report.verdict).toBe("pass");
    expect(report.findings.map((f) => f.code)).toContain("web-page-works");
    expect(report.webPage?.origin).toBe(new URL(open.page.url()).origin);
    expect(report.webPage?.page?.opened).toBe(true);
    // The browser's whole version ("153.8.0esr"), not the user-agent string's "153.0".
    const [, version] = (await open.browser.version()).split("/");
    expect(report.browser.version.startsWith(version ?? "?")).toBe(true);
    // Nothing of the probe is left in the inspected page.
    const left = await open.page.evaluate(() =>
      Object.getOwnPropertyNames(globalThis).filter((name) => name.startsWith("__loopbackLab")),
    );
    expect(left).toEqual([]);
  });

  it("says the privacy settings cannot be read from Firefox's toolbox, instead of a button that cannot ask", async () => {
    const privacy = await open.panel.evaluate(() => ({
      permissionsApi: typeof (globalThis as { chrome?: { permissions?: unknown } }).chrome?.permissions,
      buttonHidden: (document.getElementById("read-privacy") as HTMLButtonElement).hidden,
      status: document.getElementById("privacy-status")?.textContent,
    }));
    expect(privacy).toEqual({
      permissionsApi: "undefined",
      buttonHidden: true,
      status:
        "The privacy settings cannot be read here: the browser gives this DevTools panel no permissions API.",
    });
  });

  it("does not draw the chart while the toolbox shows another tool, and catches up when shown again", async () => {
    const draws = () =>
      open.panel.evaluate(() => Number(document.getElementById("tp-chart")?.dataset.draws ?? 0));
    // Armed before the switch: the panel hears onHidden through devtools.ts.
    await open.panel.evaluate(() => {
      const w = window as unknown as { shownLog: boolean[] };
      w.shownLog = [];
      addEventListener("loopback-lab:visibility", (e) => w.shownLog.push((e as CustomEvent).detail.shown));
    });
    await lab(open.panel).call("connect");
    await open.panel.selectTool("inspector");
    let before: number;
    try {
      await open.panel.waitForFunction(
        () => (window as unknown as { shownLog: boolean[] }).shownLog.length > 0,
        {
          timeout: 10_000,
        },
      );
      before = await draws();
      const run = await lab(open.panel).call("runThroughput", { durationMs: 1000, messageSize: 4096 });
      expect(run.intervals.length).toBeGreaterThan(1);
      expect(await draws()).toBe(before);
    } finally {
      await open.panel.selectTool(open.panel.toolId);
    }
    await open.panel.waitForFunction(
      (b) => Number(document.getElementById("tp-chart")?.dataset.draws ?? 0) > b,
      {},
      before,
    );
    expect(await open.panel.evaluate(() => (window as unknown as { shownLog: boolean[] }).shownLog)).toEqual([
      false,
      true,
    ]);
    await lab(open.panel).call("disconnect");
  });

  it("follows DevTools' theme: a dark body, lanes and table in the dark theme, and back, while open", async () => {
    await setTheme("dark");
    await open.panel.waitForFunction(
      () =>
        (globalThis as unknown as { browser: { devtools: { panels: { themeName: string } } } }).browser
          .devtools.panels.themeName === "dark",
      { timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const dark = await shownTheme();
    expect(dark.themeName).toBe("dark");
    for (const part of [dark.body, dark.lanes, dark.table])
      expect(lightness(part), JSON.stringify(dark)).toBeLessThan(100);
    await setTheme("light");
    await open.panel.waitForFunction(
      () =>
        (globalThis as unknown as { browser: { devtools: { panels: { themeName: string } } } }).browser
          .devtools.panels.themeName === "light",
      { timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const light = await shownTheme();
    for (const part of [light.body, light.lanes, light.table])
      expect(lightness(part), JSON.stringify(light)).toBeGreaterThan(180);
  });

  it("docked at the bottom of a 1200 × 300 toolbox, every lane is reachable and the verdict shows", async () => {
    const toolboxHeight = await open.panel.inBrowserWindow(async () => {
      const w = window as unknown as { resizeTo(w: number, h: number): void; document: Document };
      w.resizeTo(1200, 800);
      // The toolbox's height, as dragging its splitter sets it.
      const box = w.document.querySelector(".devtools-toolbox-bottom-iframe") as HTMLElement | null;
      if (box) box.style.height = "300px";
      await new Promise((r) => setTimeout(r, 300));
      return box?.getBoundingClientRect().height ?? null;
    });
    expect(toolboxHeight).toBeCloseTo(300, 0);
    await new Promise((r) => setTimeout(r, 500));
    const fit = await open.panel.evaluate(() => {
      const lanes = document.querySelector(".lanes-box") as HTMLElement;
      const verdict = document.getElementById("verdict") as HTMLElement;
      const v = verdict.getBoundingClientRect();
      return {
        width: window.innerWidth,
        height: window.innerHeight,
        scrolls: lanes.scrollHeight > lanes.clientHeight && getComputedStyle(lanes).overflowY !== "hidden",
        verdictShown: v.height > 0 && v.bottom <= window.innerHeight && v.right <= window.innerWidth,
      };
    });
    expect(fit.width, JSON.stringify(fit)).toBeGreaterThan(1100);
    expect(fit.height, JSON.stringify(fit)).toBeLessThan(300);
    expect(fit).toMatchObject({ scrolls: true, verdictShown: true });
    const dir = process.env.UPDATE_SCREENSHOT ? "docs" : ".tmp";
    mkdirSync(dir, { recursive: true });
    for (const theme of ["dark", "light"] as const) {
      await setTheme(theme);
      await open.panel.waitForFunction(
        (theme) =>
          (globalThis as unknown as { browser: { devtools: { panels: { themeName: string } } } }).browser
            .devtools.panels.themeName === theme && document.documentElement.dataset.theme === theme,
        { timeout: 10_000 },
        theme,
      );
      await new Promise((r) => setTimeout(r, 400));
      const png = Buffer.from(await open.panel.screenshotWindow(), "base64");
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      writeFileSync(`${dir}/firefox-toolbox-${theme}.png`, png);
    }
  });
});

describe("diagnose --browser firefox", () => {
  it("runs in Firefox's toolbox, web-page probe included, and names Firefox's whole version", async () => {
    const { code, stdout, stderr } = await runCli(["--browser", "firefox", "--json"]);
    const printed = JSON.parse(stdout);
    expect(schemaErrors(printed), stderr).toEqual([]);
    expect(printed.openedIn).toBe("devtools");
    expect(printed.findings.map((f: { code: string }) => f.code)).toContain("web-page-works");
    expect(printed.webPage.page.opened).toBe(true);
    expect(printed.browser.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(code).toBe(0);
  });

  it("--firefox-pref starts Firefox with a user's setting, and the report names it", async () => {
    const { code, stdout, stderr } = await runCli([
      "--browser",
      "firefox",
      "--json",
      "--firefox-pref",
      "media.peerconnection.enabled=false",
    ]);
    const printed = JSON.parse(stdout);
    expect(schemaErrors(printed), stderr).toEqual([]);
    expect(printed.launchedWith).toEqual({
      allowLoopback: false,
      firefoxPrefs: { "media.peerconnection.enabled": false },
    });
    expect(printed.findings.map((f: { code: string }) => f.code)).toContain("no-rtcpeerconnection");
    expect(code).toBe(1);
  });

  // A cell of the environment matrix: Firefox limited to a proxy gathers nothing, with an interface up
  // and routed. Nothing the extension can read tells that from a machine without a network, so the
  // finding says only what it saw, and its hint names both and the pref.
  it("media.peerconnection.ice.proxy_only: no candidates, and the hint names the pref, not only a missing interface", async () => {
    const { code, stdout } = await runCli([
      "--browser",
      "firefox",
      "--json",
      "--quiet",
      "--firefox-pref",
      "media.peerconnection.ice.proxy_only=true",
    ]);
    const printed = JSON.parse(stdout);
    expect(schemaErrors(printed)).toEqual([]);
    const failed = printed.findings.filter((f: { level: string }) => f.level === "fail");
    expect(failed.map((f: { code: string }) => f.code)).toEqual(["no-interface-up"]);
    expect(failed[0].message).toMatch(/the browser found no network interface it will use\.$/);
    // diagnose looked at the machine: an address and a default route, so not the machine's network.
    expect(failed[0].hint).toMatch(
      /and a default route \(diagnose looked\), yet the browser gathered nothing: a browser setting or policy limits WebRTC, such as Firefox's media\.peerconnection\.ice\.proxy_only/,
    );
    expect(printed.launchedWith.firefoxPrefs).toEqual({ "media.peerconnection.ice.proxy_only": true });
    expect(code).toBe(1);
  });

  it("refuses a Firefox preference for Chromium, in one line", async () => {
    const { code, stderr } = await runCli(["--firefox-pref", "media.peerconnection.enabled=false"]);
    expect(stderr).toBe(
      "diagnose: --firefox-pref is for Firefox: add --browser firefox (or all).\nRun with --help for the options.\n",
    );
    expect(code).toBe(2);
  });
});
