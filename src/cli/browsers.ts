// Finds and launches the system browsers for the command-line tools and the tests, with the built
// extension installed. Chrome opens the real DevTools panel; Firefox is driven over WebDriver BiDi
// and opens the panel in its real toolbox (firefox-toolbox.ts), or, for the tests that need element
// handles, as the extension's page in a tab (firefox-panel.ts).
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Frame, type Page } from "puppeteer-core";
import { BROWSER_ENV, type BrowserName, currentPlatform, locateBrowser } from "./browser-locations";
import { FIREFOX_EXTENSION_UUID } from "./firefox-panel";
import { FIREFOX_ADDON_ID } from "./firefox-toolbox";

/** How the browser reaches the network. "offline" runs it in a fresh network namespace with every interface down. */
export type NetworkMode = "inherit" | "offline";

export interface LaunchOptions {
  headless?: boolean;
  network?: NetworkMode;
  /** An executable found or fetched already; otherwise the system's, by browserPath(). */
  executablePath?: string;
  /** Run with this HOME (the e2e tests give Chrome a certificate store that trusts their test TURN server). */
  home?: string;
  /** Let ICE use loopback addresses (Chrome's flag, Firefox's pref), for machines meant to be loopback-only. */
  allowLoopback?: boolean;
  /** More Firefox preferences (the tests set the ones a scenario needs; diagnose --firefox-pref). */
  firefoxPrefs?: Record<string, string | number | boolean>;
  /** More Chromium arguments (diagnose --browser-arg). */
  chromeArgs?: string[];
}

export type { BrowserName };

export class BrowserNotFoundError extends Error {
  constructor(
    readonly browser: BrowserName,
    readonly tried: string[],
    readonly install: string,
    /** Why fetching one did not work, where that was tried. */
    downloadProblem?: string,
  ) {
    super(
      `Could not find ${browser === "chrome" ? "Chromium/Chrome" : "Firefox"}: tried ${tried.join(", ")}. ` +
        (downloadProblem
          ? `Fetching one with Puppeteer's downloader did not work either (${downloadProblem}). `
          : "") +
        `Install it (for example: ${install}) or set ${BROWSER_ENV[browser]} to the browser's executable.`,
    );
  }
}

export function browserPath(browser: BrowserName): string {
  const exists = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const found = locateBrowser(browser, { platform: currentPlatform(), env: process.env, exists });
  if ("path" in found) return found.path;
  throw new BrowserNotFoundError(browser, found.tried, found.install);
}

const CHROME_ARGS = [
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-gpu",
  "--disable-quic",
];
/**
 * Lets ICE use 127.0.0.1. Off by default: a user's browser has no such flag, so with it the command
 * would diagnose a different browser (PASS on a machine where web pages gather no candidates at all).
 */
const LOOPBACK_FLAG = "--allow-loopback-in-peer-connection";

/** True when this process may create network namespaces (root with unshare available). */
export function canIsolateNetwork(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync("unshare", ["-n", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A wrapper executable that starts the browser in a new network namespace where nothing is up. */
function offlineWrapper(executable: string): string {
  const dir = mkdtempSync(join(tmpdir(), "loopback-lab-offline-"));
  const wrapper = join(dir, "browser");
  writeFileSync(wrapper, `#!/bin/sh\nexec unshare -n -- "${executable}" "$@"\n`, { mode: 0o755 });
  return wrapper;
}

export async function launchChrome(options: LaunchOptions = {}): Promise<Browser> {
  let executablePath = options.executablePath ?? browserPath("chrome");
  if (options.network === "offline") {
    if (!canIsolateNetwork())
      throw new Error("An offline browser needs root and unshare(1) to make a network namespace.");
    executablePath = offlineWrapper(executablePath);
  }
  // Offline means no usable interface, loopback included: with the loopback flag Chrome would still
  // gather 127.0.0.1 candidates on the downed lo, and ICE time out instead of finding nothing.
  const args = [...CHROME_ARGS];
  if (options.allowLoopback && options.network !== "offline") args.push(LOOPBACK_FLAG);
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  args.push(...(options.chromeArgs ?? []));
  return puppeteer.launch({
    browser: "chrome",
    executablePath,
    headless: options.headless ?? true,
    // A pipe, not a port: it works even when the browser sits in a network namespace of its own.
    pipe: true,
    enableExtensions: true,
    args,
    defaultViewport: null,
    ...(options.home ? { env: { ...process.env, HOME: options.home } } : {}),
  });
}

export interface ChromePanel {
  page: Page;
  devtools: Page;
  panel: Frame;
  extensionId: string;
}

/**
 * Installs the extension, opens DevTools on a blank page and shows the Loopback panel.
 * Resolves with the panel's frame once its script has exposed window.loopbackLab.
 */
export async function openChromePanel(
  browser: Browser,
  extensionDir: string,
  options: { undocked?: boolean; url?: string } = {},
): Promise<ChromePanel> {
  const extensionId = await browser.installExtension(extensionDir);
  const page = await browser.newPage();
  await page.goto(options.url ?? "about:blank");
  const devtools = await page.openDevTools();
  if (options.undocked) {
    // Undocked, DevTools fills its own window: the tests size that window to a docked layout's size.
    await devtools.evaluate(() =>
      (
        globalThis as unknown as { InspectorFrontendHost: { setPreference(k: string, v: string): void } }
      ).InspectorFrontendHost.setPreference("currentDockState", JSON.stringify("undocked")),
    );
    await devtools.reload();
  }
  const panelUrl = `chrome-extension://${extensionId}/panel/panel.html`;
  const findPanel = () => devtools.frames().find((f) => f.url() === panelUrl);
  const deadline = Date.now() + 90_000;
  // DevTools loads the extension's DevTools page (which registers the panel) seconds after its own
  // panels; a shortcut pressed before that walks back through every built-in panel, 1.5 s each.
  const devtoolsPageUrl = `chrome-extension://${extensionId}/devtools.html`;
  while (Date.now() < deadline && !devtools.frames().some((f) => f.url() === devtoolsPageUrl))
    await sleep(100);
  // Then a moment for its asynchronous panels.create() to land.
  await sleep(300);
  // The panel's iframe exists only once DevTools shows the panel: step back through the panels
  // with the DevTools "previous panel" shortcut (extension panels come last, so the first press
  // from the first panel wraps round to it) until it appears.
  while (Date.now() < deadline) {
    await devtools.keyboard.down("Control");
    await devtools.keyboard.press("BracketLeft");
    await devtools.keyboard.up("Control");
    for (let waited = 0; waited < 1500 && !findPanel(); waited += 100) await sleep(100);
    const frame = findPanel();
    if (frame) {
      await frame.waitForFunction(() => "loopbackLab" in window, { timeout: 30_000 });
      return { page, devtools, panel: frame, extensionId };
    }
  }
  throw new Error(`The Loopback panel did not appear in DevTools (looked for ${panelUrl}).`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<Browser> {
  if (options.network === "offline") {
    // Puppeteer reaches Firefox over a WebSocket on 127.0.0.1, which a browser in a namespace of its
    // own cannot share with us: run the whole Node process inside one instead (see tests/e2e).
    throw new Error(
      "Firefox cannot be launched offline from here: run this process in a network namespace instead.",
    );
  }
  return puppeteer.launch({
    browser: "firefox",
    executablePath: options.executablePath ?? browserPath("firefox"),
    headless: options.headless ?? true,
    // Lets WebDriver BiDi reach the browser window, where DevTools is opened (firefox-toolbox.ts).
    args: ["--remote-allow-system-access"],
    defaultViewport: null,
    extraPrefsFirefox: {
      ...(options.allowLoopback ? { "media.peerconnection.ice.loopback": true } : {}),
      // Puppeteer's profile already points updates, telemetry, safe browsing and the blocklist at a
      // dummy host; these stop the remaining background traffic from the test profile.
      "app.update.enabled": false,
      "app.normandy.enabled": false,
      "browser.shell.checkDefaultBrowser": false,
      "browser.region.network.url": "",
      "browser.topsites.contile.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "toolkit.telemetry.enabled": false,
      "toolkit.telemetry.server": "",
      "network.captive-portal-service.enabled": false,
      "network.connectivity-service.enabled": false,
      "network.dns.disablePrefetch": true,
      "network.prefetch-next": false,
      "network.trr.mode": 5,
      "browser.safebrowsing.update.enabled": false,
      "extensions.update.enabled": false,
      "extensions.getAddons.cache.enabled": false,
      "extensions.systemAddon.update.enabled": false,
      "extensions.blocklist.enabled": false,
      "geo.provider.network.url": "",
      "security.OCSP.enabled": 0,
      "messaging-system.rsexperimentloader.enabled": false,
      // A fixed moz-extension:// host, so openFirefoxPanel knows where the panel page lives.
      "extensions.webextensions.uuids": JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      ...options.firefoxPrefs,
    },
  });
}

export { type FirefoxPanel, openFirefoxPanel } from "./firefox-panel";
export { type FirefoxToolboxPanel, openFirefoxToolbox } from "./firefox-toolbox";
