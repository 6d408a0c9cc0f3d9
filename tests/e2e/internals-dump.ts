// Test fixture: chrome://webrtc-internals as a user drives it. Open it (keeping removed
// connections) before the page under test makes any, then "Create a dump" → "Download the
// webrtc-internals dump" (gzip, as Chrome offers by default, or plain) or the rtcstats dump, into a
// folder the browser saves to without asking.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";

export async function openInternals(browser: Browser, downloadsTo: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto("chrome://webrtc-internals/?keepRemovedConnections");
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
