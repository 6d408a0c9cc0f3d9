// When no browser is installed, the ecosystem's way: Puppeteer's browser downloader fetches Chrome
// for Testing or Firefox into a cache of ours, with progress. Where the network does not allow it
// (a closed CI network, this project's own test machines), it gives up within a bound and the
// command says what it tried and how to install the browser instead.
import { homedir } from "node:os";
import { join } from "node:path";
import {
  BrowserPlatform,
  type InstallOptions,
  install,
  Browser as PuppeteerBrowser,
  resolveBuildId,
} from "@puppeteer/browsers";
import { errorMessage } from "../engine/core/errors";
import type { BrowserName, Platform } from "./browser-locations";

/** Finding the build to fetch must answer within this; a closed network usually says no at once. */
export const RESOLVE_TIMEOUT_MS = 20_000;

const DOWNLOAD_CACHE = join(homedir(), ".cache", "webrtc-loopback-lab", "browsers");

const PUPPETEER: Record<BrowserName, PuppeteerBrowser> = {
  chrome: PuppeteerBrowser.CHROME,
  firefox: PuppeteerBrowser.FIREFOX,
};

const PLATFORM: Record<Platform, BrowserPlatform> = {
  linux: BrowserPlatform.LINUX,
  mac: BrowserPlatform.MAC,
  windows: BrowserPlatform.WIN64,
};

export interface Downloader {
  resolveBuildId: typeof resolveBuildId;
  install: (options: InstallOptions & { unpack?: true }) => Promise<{ executablePath: string }>;
}

const PUPPETEER_DOWNLOADER: Downloader = { resolveBuildId, install: (options) => install(options) };

/** The executable of a freshly fetched (or already cached) stable build; rejects with the reason in words. */
export async function downloadBrowser(
  browser: BrowserName,
  platform: Platform,
  progress: (line: string) => void,
  downloader: Downloader = PUPPETEER_DOWNLOADER,
  cacheDir = DOWNLOAD_CACHE,
): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${RESOLVE_TIMEOUT_MS / 1000} s`)),
      RESOLVE_TIMEOUT_MS,
    );
  });
  try {
    const buildId = await Promise.race([
      downloader.resolveBuildId(PUPPETEER[browser], PLATFORM[platform], "stable"),
      limit,
    ]);
    clearTimeout(timer);
    progress(
      `downloading ${browser === "chrome" ? "Chrome for Testing" : "Firefox"} ${buildId} into ${cacheDir}`,
    );
    let shown = -1;
    const installed = await downloader.install({
      browser: PUPPETEER[browser],
      platform: PLATFORM[platform],
      buildId,
      cacheDir,
      downloadProgressCallback: (done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 10) * 10 : 0;
        if (percent === shown) return;
        shown = percent;
        progress(`downloading: ${percent}% of ${(total / 1e6).toFixed(0)} MB`);
      },
    });
    return installed.executablePath;
  } catch (error) {
    throw new Error(`the download failed: ${errorMessage(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
