// Pages that attack Record page connections or the diagnosis, one scenario each, run the same way in
// Chrome's DevTools and in Firefox's toolbox: the panel is reached through lab() and evaluate only
// (no element handles reach a toolbox panel), the page through Puppeteer.
import type { Page } from "puppeteer-core";
import { expect } from "vitest";
import type { PanelFrame } from "../../src/cli/panel-frame";
import type { PageConnectionInfo } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { PAGE_ENTRY_BUDGET } from "../../src/engine/page/page-recording";
import { type Fixture, type FixtureServer, fixtureHelpers } from "./page-fixtures";

export interface Attacked {
  readonly page: Page;
  readonly panel: PanelFrame;
}

const readyStates = (c: PageConnectionInfo, channel: number) =>
  c.timeline
    .filter((e) => e.source === `channel:${channel}` && e.property === "readyState")
    .map((e) => e.value);

/** Polls `fn` in the panel until it is truthy; fails after `timeoutMs` (default 10 s). */
async function until(open: Attacked, fn: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await open.panel.evaluate(fn))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${fn.toString()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The notes beside the Page tab's list, the tab opened as a person would (its own click). */
async function capNotesShown(open: Attacked): Promise<string[]> {
  return open.panel.evaluate(() => {
    document.getElementById("tab-page")?.click();
    return [...document.querySelectorAll("#page-caps li")].map((li) => li.textContent ?? "");
  });
}

/** hostile.html: forged batches refused or shown as text only; the real recorder stays bounded. */
export async function forgedBatches(open: Attacked, fixtures: FixtureServer): Promise<void> {
  const { connectionsWhen } = fixtureHelpers(open);
  await open.page.goto(fixtures.url("hostile"));
  await lab(open.panel).call("recordPage");
  const list = await connectionsWhen((l) => l.length > 0);
  expect(list[0]?.channels[0]?.label).toBe('<img src=x onerror="window.pwned=1">');
  await until(open, () =>
    /is not the recorder's/.test(document.getElementById("page-status")?.textContent ?? ""),
  );
  const shown = await open.panel.evaluate(() => ({
    images: document.querySelectorAll("#panel-page img, #timeline img").length,
    pwned: (window as { pwned?: unknown }).pwned ?? null,
  }));
  expect(shown).toEqual({ images: 0, pwned: null });
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
}

/** busy.html: a main thread blocked for seconds delays the history and loses none of it. */
export async function blockedPage(open: Attacked, fixtures: FixtureServer): Promise<void> {
  const { connectionsWhen } = fixtureHelpers(open);
  await open.page.goto(fixtures.url("busy"));
  await lab(open.panel).call("recordPage");
  await open.page.waitForFunction(() => (window as { fixture?: Fixture }).fixture?.done === true, {
    timeout: 60_000,
  });
  const list = await connectionsWhen(
    (l) =>
      l.length === 6 &&
      l.filter((c) => c.channels[0]?.side === "local").every((c) => readyStates(c, 1).includes("closed")),
  );
  const local = list.filter((c) => c.channels[0]?.side === "local");
  expect(local.map((c) => c.channels[0]?.label)).toEqual(["cycle-1", "cycle-2", "cycle-3"]);
  for (const c of local)
    expect(readyStates(c, 1).filter((s) => s !== "closing")).toEqual(["connecting", "open", "closed"]);
}

/** many.html: what the recorder's caps left out is said beside the list and in the report. */
export async function pastTheCaps(open: Attacked, fixtures: FixtureServer): Promise<void> {
  const { fixtureResult } = fixtureHelpers(open);
  await open.page.goto(fixtures.url("many"));
  await lab(open.panel).call("recordPage");
  await fixtureResult();
  await until(open, () => (document.getElementById("page-caps")?.children.length ?? 0) === 2);
  expect(await capNotesShown(open)).toEqual([
    "The page made 20 more connections than the recorder tracks (100 a frame): not shown, and not in any total.",
    "Connection 1 made 6 more channels than the recorder tracks (64): their messages are not counted in its totals.",
  ]);
  const report = await lab(open.panel).call("report");
  expect(report.page?.untrackedConnections).toBe(20);
  expect(report.page?.connections[0]?.untrackedChannels).toBe(6);
}

/** forges-probe.html: a page that rewrites the web-page probe's answer does not choose the diagnosis's words. */
export async function forgedProbe(open: Attacked, fixtures: FixtureServer): Promise<void> {
  await open.page.goto(fixtures.url("forges-probe"));
  const report = await lab(open.panel).call("runDiagnosis");
  const wrapped = await open.page.evaluate(
    () => (window as unknown as { fixture: { wrapped: number } }).fixture.wrapped,
  );
  expect(wrapped).toBeGreaterThan(0);
  expect(report.webPage?.page).toBeNull();
  expect(report.webPage?.pageError).toMatch(
    /not the probe's own \(its seal did not match\): a script in the page changed it/,
  );
  expect(report.findings.map((f) => f.code)).not.toContain("web-pages-restricted");
  expect(JSON.stringify(report)).not.toContain("FORGED");
}

/**
 * HEAP_BOUND_MB for a minute of flood.html: a page answering every drain with the largest forged
 * batch the schema allows. Measured here: Chrome's panel 36 to 76 MB, Firefox's panel process 21
 * to 33 MB. In Chrome without the recording's entry budget: 113 MB at the end and 1.3 MB more every
 * second; before the lists trimmed on out-of-order inserts, 9.5 MB a second.
 */
const HEAP_BOUND_MB = 150;
const FLOOD_MS = 60_000;
const SAMPLE_MS = 5000;

/**
 * flood.html for a minute: `heapMb` (after a garbage collection) stays under HEAP_BOUND_MB, the
 * batches are taken, and every cap is announced. Resolves with the heap samples.
 */
export async function floodedForAMinute(
  open: Attacked,
  fixtures: FixtureServer,
  heapMb: () => Promise<number>,
): Promise<number[]> {
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
    `the panel's heap over ${FLOOD_MS / 1000} s of ${read} forged drains: ${samples.map((s) => s.toFixed(0)).join(", ")} MB`,
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
  const notes = await open.panel.evaluate(() => {
    document.getElementById("tab-page")?.click();
    return document.getElementById("panel-page")?.textContent ?? "";
  });
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
  return samples;
}
