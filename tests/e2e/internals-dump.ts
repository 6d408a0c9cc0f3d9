// Test fixture: chrome://webrtc-internals as a user drives it. Open it (keeping removed
// connections) before the page under test makes any, then "Create a dump" → "Download the
// webrtc-internals dump" (gzip, as Chrome offers by default, or plain) or the rtcstats dump, into a
// folder the browser saves to without asking.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";

/** In a window of its own, as a person would: the page under test stays visible (a hidden tab is throttled). */
export async function openInternals(browser: Browser, downloadsTo: string): Promise<Page> {
  const url = "chrome://webrtc-internals/?keepRemovedConnections";
  const session = await browser.target().createCDPSession();
  await session.send("Target.createTarget", { url, newWindow: true });
  const target = await browser.waitForTarget((t) => t.url() === url, { timeout: 10_000 });
  const page = await target.page();
  if (!page) throw new Error("chrome://webrtc-internals opened without a page");
  await page.waitForSelector("#dump-click-target", { timeout: 10_000 });
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloadsTo });
  return page;
}

const FILES = {
  gzip: "webrtc_internals_dump.gz",
  plain: "webrtc_internals_dump.txt",
  rtcstats: "rtcstats_dump.gz",
} as const;

/** Downloads one kind of dump; resolves with its path once the browser finished writing it (bounded). */
export async function downloadDump(
  internals: Page,
  downloadsTo: string,
  kind: keyof typeof FILES,
): Promise<string> {
  const file = join(downloadsTo, FILES[kind]);
  rmSync(file, { force: true });
  await internals.evaluate(() => {
    document.querySelector("details:has(#dump-click-target)")?.setAttribute("open", "");
  });
  if (kind !== "rtcstats") {
    const compressed = await internals.$eval("#dump-checkbox", (box) => (box as HTMLInputElement).checked);
    if (compressed !== (kind === "gzip")) await internals.click("#dump-checkbox");
  }
  await internals.click(kind === "rtcstats" ? "#dump-click-target-rtcstats" : "#dump-click-target");
  for (let i = 0; i < 100; i++) {
    const pending = readdirSync(downloadsTo).some((name) => name.endsWith(".crdownload"));
    if (existsSync(file) && !pending) return file;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`chrome://webrtc-internals did not save ${FILES[kind]} within 10 s`);
}

/** Waits (bounded) until webrtc-internals has logged `type` at least `count` times: its log lags the page. */
export async function waitForLogged(internals: Page, type: string, count: number): Promise<void> {
  await internals.waitForFunction(
    (t, n) =>
      [...document.querySelectorAll("td")].filter((cell) => cell.textContent?.trim() === t).length >= n,
    { timeout: 10_000, polling: 100 },
    type,
    count,
  );
}
