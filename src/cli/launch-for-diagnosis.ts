// Starting a browser for `diagnose` and opening the real Loopback panel in it, each within a bound,
// with a message that says which piece failed: the executable, the automation link, the panel.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "puppeteer-core";
import type { LabFrame } from "../contract/lab-client";
import { errorMessage, within } from "../engine/core/errors";
import { downloadBrowser, RESOLVE_TIMEOUT_MS } from "./browser-download";
import { BROWSER_ENV, currentPlatform } from "./browser-locations";
import {
  type BrowserName,
  BrowserNotFoundError,
  browserPath,
  launchChrome,
  launchFirefox,
  openChromePanel,
  openFirefoxToolbox,
} from "./browsers";
import type { DiagnoseOptions } from "./diagnose-options";
import type { Progress } from "./progress";

/** A problem that means "could not run the diagnosis" (exit 2), with a message for people. */
export class CannotRun extends Error {}

export const LABEL: Record<BrowserName, string> = { chrome: "Chromium", firefox: "Firefox" };
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The bounds the command waits within: the browser's start, the panel's opening. */
const LAUNCH_TIMEOUT_MS = 60_000;
const PANEL_TIMEOUT_MS = 90_000;

/** The browser answered on no automation link within LAUNCH_TIMEOUT_MS. */
class LaunchTimedOut extends Error {}

/** Node's codes for a link that could not be made (the loopback interface down, traffic filtered). */
const LINK_CODES = new Set(["ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"]);

/** True when the browser ran but its automation link (on 127.0.0.1) could not be made. */
function isLinkProblem(error: unknown): boolean {
  if (error instanceof LaunchTimedOut) return true;
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (LINK_CODES.has(String(code)) || LINK_CODES.has(String(causeCode))) return true;
  // Puppeteer's own transport errors carry no code: its words are all there is.
  return /ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|socket|WebSocket/i.test(
    errorMessage(error),
  );
}

/** Starts the browser headless with the extension, or throws CannotRun saying why not. */
export async function launch(
  name: BrowserName,
  options: DiagnoseOptions,
  progress: Progress,
): Promise<Browser> {
  // Resolve the path first so "not found" names every path tried and the variable to set.
  const path = await executableFor(name, progress);
  progress.waitFor(`[${name}] starting ${LABEL[name]} headless with the extension`, LAUNCH_TIMEOUT_MS);
  const settings = {
    network: options.network,
    executablePath: path,
    allowLoopback: options.allowLoopback,
    chromeArgs: options.browserArgs,
    firefoxPrefs: options.firefoxPrefs,
  };
  const launching = name === "chrome" ? launchChrome(settings) : launchFirefox(settings);
  try {
    return await within(
      launching,
      LAUNCH_TIMEOUT_MS,
      () => new LaunchTimedOut(`no answer on the automation link within ${LAUNCH_TIMEOUT_MS / 1000} s`),
    );
  } catch (error) {
    // A browser that starts late is closed as soon as it does: nothing is left running.
    void launching.then((late) => late.close()).catch(() => undefined);
    const message = errorMessage(error);
    if (isLinkProblem(error))
      throw new CannotRun(
        `${LABEL[name]} at ${path} started, but the command could not reach it over its automation link on 127.0.0.1 (${message}). The loopback interface is down or local traffic is filtered here; the browser itself is not at fault.`,
      );
    throw new CannotRun(
      `Could not start ${LABEL[name]} at ${path}: ${message}\nSet ${BROWSER_ENV[name]} to another ${LABEL[name]} executable.`,
    );
  }
}

/** The system's browser; where there is none (and no variable names one), one fetched for us. */
async function executableFor(name: BrowserName, progress: Progress): Promise<string> {
  try {
    return browserPath(name);
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError) || process.env[BROWSER_ENV[name]]) throw error;
    progress.waitFor(
      `[${name}] no ${LABEL[name]} installed: asking Puppeteer's downloader for one`,
      RESOLVE_TIMEOUT_MS,
    );
    try {
      return await downloadBrowser(name, currentPlatform(), (line) => progress.say(`[${name}] ${line}`));
    } catch (download) {
      throw new BrowserNotFoundError(name, error.tried, error.install, errorMessage(download));
    } finally {
      progress.done();
    }
  }
}

/** Opens the Loopback panel in the browser's own DevTools, inspecting `pageUrl`. */
export async function openLoopbackPanel(
  name: BrowserName,
  browser: Browser,
  progress: Progress,
  pageUrl: string,
): Promise<LabFrame> {
  const extensionDir = join(root, "dist", name);
  if (!existsSync(join(extensionDir, "manifest.json")))
    throw new CannotRun(`The extension is not built (no ${extensionDir}); run npm run build first.`);
  progress.waitFor(`[${name}] opening the Loopback panel`, PANEL_TIMEOUT_MS);
  const opening: Promise<LabFrame> =
    name === "chrome"
      ? openChromePanel(browser, extensionDir, { url: pageUrl }).then((open) => open.panel)
      : openFirefoxToolbox(browser, extensionDir, { url: pageUrl }).then((open) => open.panel);
  try {
    // The bound the progress line names is the one that holds.
    return await within(
      opening,
      PANEL_TIMEOUT_MS,
      () => new Error(`not within ${PANEL_TIMEOUT_MS / 1000} s`),
    );
  } catch (error) {
    throw new CannotRun(
      `${LABEL[name]} started, but the Loopback panel did not open: ${errorMessage(error)}`,
    );
  }
}
