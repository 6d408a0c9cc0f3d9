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

/** DevTools sizes: docked at the bottom, docked at the right, undocked. */
const SIZES = [
  { name: "docked at the bottom", width: 1200, height: 300 },
  { name: "docked at the right", width: 400, height: 900 },
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

  for (const size of SIZES) {
    it(`shows the toolbar and the state lanes without scrolling, ${size.name} (${size.width} × ${size.height})`, async () => {
      await resize(size.width, size.height);
      for (const [role, name] of [
        ["toolbar", "Loopback"],
        ["group", "State lanes"],
      ] as const) {
        const place = await placeOf(role, name);
        expect(place.top, `${name} top`).toBeGreaterThanOrEqual(0);
        expect(place.left, `${name} left`).toBeGreaterThanOrEqual(0);
        expect(place.bottom, `${name} bottom`).toBeLessThanOrEqual(place.vh);
        expect(place.right, `${name} right`).toBeLessThanOrEqual(place.vw);
      }
      const overflow = await open.panel.evaluate(() => ({
        page: document.documentElement.scrollWidth - innerWidth,
        clippedInputs: [...document.querySelectorAll<HTMLInputElement>('input[type="number"]')]
          .filter((input) => input.offsetParent !== null && input.scrollWidth > input.clientWidth)
          .map((input) => input.id),
      }));
      expect(overflow).toEqual({ page: 0, clippedInputs: [] });
    });
  }

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
