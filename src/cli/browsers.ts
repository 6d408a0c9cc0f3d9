// Finds and launches the system browsers for the command-line tools and the tests, with the built
// extension installed. Chrome opens the real DevTools panel; Firefox is driven over WebDriver BiDi.
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Frame, type Page } from "puppeteer-core";

export type BrowserName = "chrome" | "firefox";

/** How the browser reaches the network. "offline" runs it in a fresh network namespace with every interface down. */
export type NetworkMode = "inherit" | "offline";

export interface LaunchOptions {
  headless?: boolean;
  network?: NetworkMode;
}

const CANDIDATES: Record<BrowserName, { env: string; paths: string[] }> = {
  chrome: { env: "LOOPBACK_LAB_CHROME", paths: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] },
  firefox: { env: "LOOPBACK_LAB_FIREFOX", paths: ["/usr/bin/firefox-esr", "/usr/bin/firefox"] },
};

export class BrowserNotFoundError extends Error {
  constructor(
    readonly browser: BrowserName,
    readonly tried: string[],
  ) {
    super(
      `Could not find ${browser === "chrome" ? "Chromium/Chrome" : "Firefox"}: tried ${tried.join(", ")}. ` +
        `Set ${CANDIDATES[browser].env} to the browser's executable.`,
    );
  }
}

export function browserPath(browser: BrowserName): string {
  const { env, paths } = CANDIDATES[browser];
  const fromEnv = process.env[env];
  const tried = fromEnv ? [fromEnv] : paths;
  for (const path of tried) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  throw new BrowserNotFoundError(browser, tried);
}

const CHROME_ARGS = [
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-gpu",
  "--disable-quic",
  // Lets ICE use 127.0.0.1, so the loopback connects even where loopback is the only interface.
  "--allow-loopback-in-peer-connection",
];

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
  let executablePath = browserPath("chrome");
  if (options.network === "offline") {
    if (!canIsolateNetwork()) throw new Error("An offline browser needs root and unshare(1) to make a network namespace.");
    executablePath = offlineWrapper(executablePath);
  }
  const args = [...CHROME_ARGS];
  if (process.getuid?.() === 0) args.push("--no-sandbox");
  return puppeteer.launch({
    browser: "chrome",
    executablePath,
    headless: options.headless ?? true,
    // A pipe, not a port: it works even when the browser sits in a network namespace of its own.
    pipe: true,
    enableExtensions: true,
    args,
    defaultViewport: null,
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
export async function openChromePanel(browser: Browser, extensionDir: string): Promise<ChromePanel> {
  const extensionId = await browser.installExtension(extensionDir);
  const page = await browser.newPage();
  await page.goto("about:blank");
  const devtools = await page.openDevTools();
  const panelUrl = `chrome-extension://${extensionId}/panel/panel.html`;
  const deadline = Date.now() + 30_000;
  // The panel's iframe exists only once DevTools shows the panel: step through panels with the
  // DevTools "previous panel" shortcut (extension panels come last) until it appears.
  while (Date.now() < deadline) {
    const frame = devtools.frames().find((f) => f.url() === panelUrl);
    if (frame) {
      await frame.waitForFunction(() => "loopbackLab" in window, { timeout: 15_000 });
      return { page, devtools, panel: frame, extensionId };
    }
    await devtools.keyboard.down("Control");
    await devtools.keyboard.press("BracketLeft");
    await devtools.keyboard.up("Control");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The Loopback panel did not appear in DevTools (looked for ${panelUrl}).`);
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: browserPath("firefox"),
    headless: options.headless ?? true,
    defaultViewport: null,
    extraPrefsFirefox: {
      // No background traffic to Mozilla's services from the test profile.
      "app.update.enabled": false,
      "browser.shell.checkDefaultBrowser": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "network.captive-portal-service.enabled": false,
      "network.connectivity-service.enabled": false,
      "browser.safebrowsing.update.enabled": false,
      "extensions.update.enabled": false,
    },
  });
}
