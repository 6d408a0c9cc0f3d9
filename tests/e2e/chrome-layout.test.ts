// The panel as a person sees it in real Chrome DevTools: the toolbar and the state lanes in view at
// the usual DevTools sizes, lanes that read like the table, selection shared between them, a
// diagnosis that leaves the person's work alone, and no serious accessibility violations (axe-core)
// in either theme. It also makes the README's screenshots.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { byRole, showTab, useChromePanel } from "./chrome-panel";
import { panelSteps } from "./panel-steps";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** DevTools sizes: docked at the bottom at its default heights, docked at the right, undocked. */
const SIZES = [
  { name: "docked at the bottom, 250 px", width: 1200, height: 250 },
  { name: "docked at the bottom, 300 px", width: 1200, height: 300 },
  { name: "docked at the right, 400 px", width: 400, height: 900 },
  { name: "undocked", width: 1400, height: 900 },
] as const;

const open = useChromePanel({ undocked: true });
const steps = panelSteps(() => open.panel);

async function resize(width: number, height: number): Promise<void> {
  await open.devtools.setViewport({ width, height });
  await open.panel.waitForFunction(
    (w) => innerWidth === w && document.readyState === "complete",
    { timeout: 10_000 },
    width,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Where an element named by role and name sits in the panel's viewport. */
async function placeOf(role: string, name: string) {
  const element = await byRole(open.panel, role, name);
  return element.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, vw: innerWidth, vh: innerHeight };
  });
}

async function axeViolations(): Promise<string[]> {
  await open.panel.evaluate(axeSource);
  const results = await open.panel.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } })
      .axe;
    return (await axe.run(document, { resultTypes: ["violations"] })) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const setTheme = (theme: "light" | "dark") =>
  open.panel.evaluate((t) => {
    document.documentElement.dataset.theme = t;
  }, theme);

describe("the panel at DevTools sizes", () => {
  beforeAll(async () => {
    await (await byRole(open.panel, "button", "Connect")).click();
    await steps.waitForOpen();
  });

  it("never clips a number in the run options", async () => {
    await resize(400, 900);
    await showTab(open.panel, "Throughput");
    const clipped = await open.panel.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('#panel-throughput input[type="number"]')]
        .filter((input) => input.scrollWidth > input.clientWidth)
        .map((input) => `${input.id}=${input.value}`),
    );
    expect(clipped).toEqual([]);
    await showTab(open.panel, "Messages");
  });
});

describe("the state lanes", () => {
  beforeAll(async () => {
    await resize(1400, 900);
    if ((await steps.phase()) !== "Channel open") {
      await (await byRole(open.panel, "button", "Connect")).click();
      await steps.waitForOpen();
    }
    await steps.typeAndSend("hello lanes", "enter");
    await (await byRole(open.panel, "button", "Disconnect")).click();
    await steps.waitForIdle();
  });

  for (const source of ["sendChannel", "receiveChannel"]) {
    it(`draw ${source}'s readyState as segments whose times are the table's`, async () => {
      const values = await steps.expectLaneLikeTable(source);
      expect(values.filter((v) => v !== "closing")).toEqual(
        source === "sendChannel" ? ["connecting", "open", "closed"] : ["open", "closed"],
      );
    });
  }

  it("selects the segment's table row, and the row's segment", async () => {
    const rows = await steps.tableRows("sendChannel", "readyState");
    const openAt = rows.findIndex((r) => r.value === "open");
    const name = `sendChannel readyState open from ${rows[openAt]?.t} ms to ${rows[openAt + 1]?.t} ms`;
    await (await byRole(open.panel, "button", name)).click();
    const selected = () =>
      open.panel.$$eval('#timeline tbody tr[aria-selected="true"]', (trs) =>
        trs.map((tr) => [...(tr as HTMLTableRowElement).cells].slice(0, 4).map((c) => c.textContent)),
      );
    expect(await selected()).toEqual([[rows[openAt]?.t, "sendChannel", "readyState", "open"]]);

    // And the reverse: the row of the "closed" state selects its segment.
    const closedRow = await open.panel.$$eval(
      "#timeline tbody tr",
      (trs) =>
        trs.findIndex(
          (tr) =>
            (tr as HTMLElement).dataset.source === "sendChannel" &&
            (tr as HTMLElement).dataset.property === "readyState" &&
            (tr as HTMLTableRowElement).cells[3]?.textContent === "closed",
        ) + 1,
    );
    await (await open.panel.$(`#timeline tbody tr:nth-child(${closedRow})`))?.click();
    const closedAt = rows.findIndex((r) => r.value === "closed");
    const segment = await byRole(
      open.panel,
      "button",
      `sendChannel readyState closed from ${rows[closedAt]?.t} ms to now`,
    );
    expect(await segment.evaluate((el) => el.getAttribute("aria-pressed"))).toBe("true");
  });

  it("filters the table to readyState only, by object, and by text", async () => {
    const visible = () =>
      open.panel.$$eval("#timeline tbody tr:not([hidden])", (trs) =>
        trs.map((tr) => (tr as HTMLElement).dataset.property),
      );
    await (await byRole(open.panel, "checkbox", "readyState only")).click();
    expect(new Set(await visible())).toEqual(new Set(["readyState"]));
    await (await byRole(open.panel, "checkbox", "readyState only")).click();
    const filter = await byRole(open.panel, "searchbox", "Filter");
    await filter.type("have-local-offer");
    const rows = await open.panel.$$eval("#timeline tbody tr:not([hidden])", (trs) =>
      trs.map((tr) => (tr as HTMLTableRowElement).cells[3]?.textContent),
    );
    expect(rows).toEqual(["have-local-offer"]);
    await filter.evaluate((el) => {
      (el as HTMLInputElement).value = "";
      el.dispatchEvent(new Event("input"));
    });
  });
});

describe("Run diagnosis keeps the person's work", () => {
  it("leaves the received messages, the counters, the focus and the scroll where they were", async () => {
    await resize(1200, 400);
    await (await byRole(open.panel, "button", "Connect")).click();
    await steps.waitForOpen();
    await steps.typeAndSend("keep me", "enter");
    await open.panel.waitForFunction(() => document.querySelectorAll("#received li").length > 0);
    // The counters publish every 250 ms: wait until they count the message.
    await open.panel.waitForFunction(() =>
      /Received\s*[1-9]/.test(document.getElementById("counters")?.textContent ?? ""),
    );
    const before = await open.panel.evaluate(() => ({
      received: [...document.querySelectorAll("#received li")].map((li) => li.textContent),
      counters: document.getElementById("counters")?.textContent,
      tableScroll: document.querySelector(".timeline-pane .scroll")?.scrollTop,
      tab: document.querySelector('[role="tab"][aria-selected="true"]')?.textContent,
    }));
    const button = await byRole(open.panel, "button", "Run diagnosis");
    await button.focus();
    await open.devtools.keyboard.press("Enter");
    await open.panel.waitForFunction(
      () => !(document.getElementById("diagnosis-progress") as HTMLElement).hidden,
      {
        timeout: 5000,
      },
    );
    await open.panel.waitForFunction(() => document.getElementById("verdict")?.dataset.verdict, {
      timeout: 60_000,
    });
    await open.panel.waitForFunction(
      () => !(document.getElementById("run-diagnosis") as HTMLButtonElement).disabled,
    );
    const after = await open.panel.evaluate(() => ({
      received: [...document.querySelectorAll("#received li")].map((li) => li.textContent),
      counters: document.getElementById("counters")?.textContent,
      tableScroll: document.querySelector(".timeline-pane .scroll")?.scrollTop,
      tab: document.querySelector('[role="tab"][aria-selected="true"]')?.textContent,
    }));
    expect(after.received).toEqual(before.received);
    expect(after.tab).toBe(before.tab);
    expect(after.tableScroll).toBe(before.tableScroll);
    expect(await steps.phase()).toBe("Channel open");
    // Rates move with time; the counts stay.
    const counts = (text: string | undefined) => text?.match(/(?:Sent|Received)\d+ msg/g);
    expect(counts(after.counters)).toEqual(counts(before.counters));
    expect(counts(before.counters)).toEqual(["Sent1 msg", "Received1 msg"]);
    expect(await open.panel.evaluate(() => document.activeElement?.id)).toBe("run-diagnosis");
  });
});

describe("accessibility (axe-core)", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`finds no serious or critical violations in the ${theme} theme, connected and after a diagnosis`, async () => {
      await setTheme(theme);
      if ((await steps.phase()) !== "Channel open") {
        await (await byRole(open.panel, "button", "Connect")).click();
        await steps.waitForOpen();
      }
      expect(await axeViolations()).toEqual([]);
      await lab(open.panel).call("runDiagnosis");
      // A TURN port nothing listens on: a quick failing cell in the ICE servers matrix.
      await lab(open.panel).call("runIceCheck", {
        iceServers: [{ urls: "turn:127.0.0.1:3999?transport=tcp", username: "u", credential: "p" }],
      });
      for (const tab of ["Throughput", "Diagnosis", "Page", "ICE servers", "Report", "Messages"]) {
        await showTab(open.panel, tab);
        expect(await axeViolations(), tab).toEqual([]);
      }
    });
  }
});

describe("at every DevTools size, in both themes, after a diagnosis", () => {
  beforeAll(async () => {
    // A finished session: its lanes stay put while they are measured (a live one redraws as "now" moves).
    await lab(open.panel).call("disconnect");
    await steps.waitForIdle();
  });
  for (const size of SIZES)
    for (const theme of ["light", "dark"] as const)
      it(`${size.name} (${size.width} × ${size.height}), ${theme}: every lane reachable and named distinctly, the axis and the verdict in full`, async () => {
        await setTheme(theme);
        await resize(size.width, size.height);
        const toolbar = await placeOf("toolbar", "Loopback");
        expect(toolbar.top).toBeGreaterThanOrEqual(0);
        expect(toolbar.right).toBeLessThanOrEqual(toolbar.vw);
        const seen = await open.panel.evaluate(async () => {
          const box = document.querySelector(".lanes-box") as HTMLElement;
          const inView = (el: Element) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight + 0.5 && r.left >= 0 && r.right <= innerWidth + 0.5;
          };
          // In view and not covered (by the sticky axis, say): what is at its middle is inside it.
          const visible = (el: Element) => {
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
            return inView(el) && hit !== null && el.contains(hit);
          };
          const lanes: { name: string; reachable: boolean; cut: boolean; title: string }[] = [];
          let group = "";
          for (const row of box.querySelectorAll(".lane-group, .lane-row")) {
            if (row.classList.contains("lane-group")) {
              group = (row.textContent ?? "").replace(/^[▾▸] /, "");
              continue;
            }
            row.scrollIntoView({ block: "nearest" });
            await new Promise((r) => requestAnimationFrame(r));
            const name = row.querySelector(".lane-name") as HTMLElement;
            lanes.push({
              name: `${row.classList.contains("grouped") ? group : ""} ${name.textContent}`.trim(),
              reachable: visible(row),
              cut: name.scrollWidth > name.clientWidth,
              title: name.title,
            });
          }
          const axis = document.querySelector(".axis-row") as HTMLElement;
          const verdict = document.getElementById("verdict") as HTMLElement;
          return {
            lanes,
            axis: inView(axis) && axis.querySelectorAll(".tick").length > 1,
            ticksCut: [...axis.querySelectorAll(".tick")].some(
              (t) => !inView(t) && t.getBoundingClientRect().right > innerWidth,
            ),
            verdict: {
              text: verdict.textContent ?? "",
              title: verdict.title,
              inView: inView(verdict),
              cut: verdict.scrollWidth > verdict.clientWidth + 1,
            },
            page: document.documentElement.scrollWidth - innerWidth,
          };
        });
        expect(seen.lanes.length).toBeGreaterThanOrEqual(13);
        expect(seen.lanes.filter((l) => !l.reachable).map((l) => l.name)).toEqual([]);
        expect(new Set(seen.lanes.map((l) => l.name)).size).toBe(seen.lanes.length);
        expect(seen.lanes.filter((l) => l.cut).map((l) => l.name)).toEqual([]);
        for (const lane of seen.lanes) expect(lane.title).not.toBe("");
        expect(seen.axis).toBe(true);
        expect(seen.ticksCut).toBe(false);
        expect(seen.verdict.text).toMatch(/^(Pass|Warning|Fail): /);
        expect(seen.verdict.inView).toBe(true);
        // Cut only where there is room for a tooltip that holds it all; never when docked at the right.
        expect(seen.verdict.title).toBe(seen.verdict.text);
        if (size.width <= 760) expect(seen.verdict.cut).toBe(false);
        expect(seen.page).toBe(0);
        expect(await axeViolations()).toEqual([]);
      });

  it("scrolls the lanes with the wheel, zooms with Ctrl + wheel and the + key, and collapses a group", async () => {
    await setTheme("light");
    await resize(1200, 250);
    const box = await open.panel.$(".lanes-box");
    const rect = await box?.boundingBox();
    if (!rect) throw new Error("no lanes box");
    const state = () =>
      open.panel.evaluate(() => ({
        scrollTop: (document.querySelector(".lanes-box") as HTMLElement).scrollTop,
        ticks: [...document.querySelectorAll("#lanes-axis .tick")].map((t) => t.textContent).join(" "),
      }));
    await open.panel.evaluate(() => {
      (document.querySelector(".lanes-box") as HTMLElement).scrollTop = 0;
    });
    const before = await state();
    await open.devtools.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
    await open.devtools.mouse.wheel({ deltaY: 120 });
    await open.panel.waitForFunction(
      () => (document.querySelector(".lanes-box") as HTMLElement).scrollTop > 0,
    );
    const scrolled = await state();
    expect(scrolled.ticks).toBe(before.ticks);
    await open.devtools.keyboard.down("Control");
    await open.devtools.mouse.wheel({ deltaY: -240 });
    await open.devtools.keyboard.up("Control");
    await open.panel.waitForFunction(
      (t) => [...document.querySelectorAll("#lanes-axis .tick")].map((x) => x.textContent).join(" ") !== t,
      {},
      scrolled.ticks,
    );
    expect((await state()).scrollTop).toBe(scrolled.scrollTop);
    await (await byRole(open.panel, "button", "Fit")).click();
    const fitted = (await state()).ticks;
    const segment = await open.panel.$("#lanes .segment");
    await segment?.focus();
    await open.devtools.keyboard.press("+");
    expect((await state()).ticks).not.toBe(fitted);
    await open.devtools.keyboard.press("0");
    expect((await state()).ticks).toBe(fitted);
    const toggle = await byRole(open.panel, "button", "▾ local peer");
    await toggle.evaluate((el) => el.scrollIntoView({ block: "center" }));
    const lanesNamed = () => open.panel.$$eval("#lanes .lane-row", (rows) => rows.length);
    const all = await lanesNamed();
    await toggle.click();
    expect(await lanesNamed()).toBe(all - 6);
    const collapsed = await byRole(open.panel, "button", "▸ local peer");
    expect(await collapsed.evaluate((b) => b.getAttribute("aria-expanded"))).toBe("false");
    // The keyboard reaches it too: it kept the focus, and Enter expands the group again.
    expect(await collapsed.evaluate((b) => b === document.activeElement)).toBe(true);
    await open.devtools.keyboard.press("Enter");
    expect(await lanesNamed()).toBe(all);
  });
});

describe("the README's screenshots", () => {
  it("shows a connected session's lanes, a throughput chart and a diagnosis verdict, light and dark", async () => {
    await resize(1280, 420);
    await lab(open.panel).call("disconnect");
    await steps.waitForIdle();
    await (await byRole(open.panel, "button", "Connect")).click();
    await steps.waitForOpen();
    await steps.typeAndSend("hello from the panel 🙂", "enter");
    await showTab(open.panel, "Throughput");
    await lab(open.panel).call("runThroughput", { durationMs: 2000 });
    const dir = process.env.UPDATE_SCREENSHOT ? "docs" : ".tmp";
    mkdirSync(dir, { recursive: true });
    for (const theme of ["light", "dark"] as const) {
      await setTheme(theme);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await open.devtools.screenshot({ path: `${dir}/panel-${theme}.png` });
    }
    await setTheme("light");
  });
});
