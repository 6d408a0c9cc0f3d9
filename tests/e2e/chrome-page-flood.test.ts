// A page that answers every drain of Record page connections with the largest forged batch the
// schema lets through (page-fixtures/flood.html): 2000 events out of order, unrepeated 200-character
// strings everywhere, a new frame each time. For a minute the panel's heap is measured after a
// garbage collection, through the panel frame's own DevTools protocol session: it must stay under
// HEAP_BOUND_MB while the batches keep being taken, the timelines keep to the recording's entry
// budget, and every cap is announced.
import type { CDPSession } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { PAGE_ENTRY_BUDGET } from "../../src/engine/page/page-recording";
import { showTab, useChromePanel } from "./chrome-panel";
import { type FixtureServer, serveFixtures } from "./page-fixtures";

/**
 * Measured here over the minute: 36 to 76 MB. Without the recording's entry budget, 113 MB at the end
 * and 1.3 MB more every second; before the lists trimmed on out-of-order inserts, 9.5 MB a second.
 */
const HEAP_BOUND_MB = 150;
const FLOOD_MS = 60_000;
const SAMPLE_MS = 5000;

let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await serveFixtures();
}, 60_000);
afterAll(() => fixtures?.close());
const open = useChromePanel({ undocked: true }, 60_000);

describe("a page that floods every drain with the largest forged batch", () => {
  it("keeps the panel's heap bounded for a minute, takes the batches, and announces its caps", async () => {
    // Puppeteer gives an out-of-process frame its own session: this one measures the panel alone.
    const client = (open.panel as unknown as { client: CDPSession }).client;
    const heapMb = async () => {
      await client.send("HeapProfiler.collectGarbage");
      return (await client.send("Runtime.getHeapUsage")).usedSize / 1e6;
    };
    await open.page.goto(fixtures.url("flood"));
    await lab(open.panel).call("recordPage");
    const drains = () =>
      open.page.evaluate(() => (window as unknown as { fixture: { reads: number } }).fixture.reads);
    const samples: number[] = [];
    const readsAtStart = await drains();
    for (let waited = 0; waited < FLOOD_MS; waited += SAMPLE_MS) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      samples.push(await heapMb());
    }
    const read = (await drains()) - readsAtStart;
    console.log(
      `panel heap over ${FLOOD_MS / 1000} s of ${read} forged drains: ${samples.map((s) => s.toFixed(0)).join(", ")} MB`,
    );
    // The flood arrived: the panel kept draining (a few a second when idle), and took what it read.
    expect(read).toBeGreaterThan(20);
    expect(Math.max(...samples)).toBeLessThan(HEAP_BOUND_MB);
    const list = await lab(open.panel).call("pageConnections");
    expect(list).toHaveLength(300);
    // What holds the heap: the connections' timelines together keep at most the budget.
    const kept = list.reduce((sum, c) => sum + c.timeline.length, 0);
    expect(kept).toBeLessThanOrEqual(PAGE_ENTRY_BUDGET);
    // The caps are announced beside the list, and the report is whole.
    await showTab(open.panel, "Page");
    const notes = await open.panel.evaluate(() => document.getElementById("panel-page")?.textContent ?? "");
    expect(notes).toMatch(/made [\d,]+ more connections than the recorder tracks/);
    expect(notes).toMatch(
      /tracked (at least )?[\d,]+ more connections than the panel keeps \(300 over every frame\)/,
    );
    expect(notes).toMatch(/Connection 1 made 1,000 more channels than the recorder tracks/);
    expect(notes).toMatch(
      /older timeline entries were let go: each connection keeps its newest 2,000, and all of them together 50,000/,
    );
    const report = await lab(open.panel).call("report");
    expect(report.page?.connections.length).toBe(list.length);
    expect(report.page?.notShownConnections?.count).toBeGreaterThan(0);
    await open.panel.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }, 120_000);
});
