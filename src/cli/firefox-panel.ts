// Runs the real panel bundle in Firefox, as the installed extension's own page. Firefox's automation
// cannot open DevTools, and WebDriver BiDi refuses to navigate a tab to a moz-extension:// URL; a
// web page may navigate there itself, but only to a web-accessible resource. So this installs a
// harness copy of the built extension whose one difference is a web_accessible_resources entry for
// panel/* (matching only http://127.0.0.1), opens a blank launcher page served from 127.0.0.1 by
// this process, and lets that page navigate to moz-extension://<fixed uuid>/panel/panel.html.
// The panel then runs with the extension's origin, CSP and browser.* API, but in a tab rather than
// in DevTools: there is no browser.devtools (the theme follows prefers-color-scheme) and no
// onShown/onHidden. The shipped dist/firefox is never modified.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Frame, Page } from "puppeteer-core";
import { FIREFOX_ADDON_ID } from "./firefox-toolbox";

/**
 * The internal UUID Firefox gives the extension (its moz-extension:// host), fixed by launchFirefox
 * through the extensions.webextensions.uuids pref; Firefox otherwise picks a random one per profile.
 */
export const FIREFOX_EXTENSION_UUID = "5e1f7c2a-0b0b-4c4b-9a1e-1005bac0ffee";

export const FIREFOX_PANEL_URL = `moz-extension://${FIREFOX_EXTENSION_UUID}/panel/panel.html`;

export interface FirefoxPanel {
  page: Page;
  /** The page's main frame, showing the panel: window.loopbackLab is ready on it. */
  panel: Frame;
  extensionId: string;
}

/** A copy of the built extension whose panel pages a 127.0.0.1 page may open. Never shipped. */
function harnessCopy(extensionDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), "loopback-lab-firefox-harness-"));
  cpSync(extensionDir, dir, { recursive: true });
  const built = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  built.web_accessible_resources = [{ resources: ["panel/*"], matches: ["http://127.0.0.1/*"] }];
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(built, null, 2));
  return dir;
}

/** Serves one blank page on 127.0.0.1: the web page that navigates itself to the panel. */
async function serveLauncher(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    if (request.url !== "/") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end('<!doctype html><meta charset="utf-8"><title>Loopback Lab launcher</title>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  // The server must not keep a command-line tool alive after its browser has gone.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/**
 * Installs the harness copy of `extensionDir` in a Firefox started by launchFirefox and shows the
 * panel page in a new tab. Resolves once the panel's script has exposed window.loopbackLab.
 */
export async function openFirefoxPanel(browser: Browser, extensionDir: string): Promise<FirefoxPanel> {
  const dir = harnessCopy(extensionDir);
  const launcher = await serveLauncher();
  browser.once("disconnected", () => {
    launcher.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const extensionId = await browser.installExtension(dir);
  if (extensionId !== FIREFOX_ADDON_ID) {
    throw new Error(
      `Firefox installed the extension as ${extensionId}, not as ${FIREFOX_ADDON_ID} (manifest.json).`,
    );
  }
  const page = await browser.newPage();
  await page.goto(launcher.url);
  try {
    // Firefox refuses this unless the add-on has the UUID launchFirefox fixed and is web-accessible.
    await page.evaluate((url) => window.location.assign(url), FIREFOX_PANEL_URL);
    // Puppeteer does not report this navigation (page.url() keeps the launcher's address), but it
    // evaluates in whatever document the tab holds: wait for the panel's own.
    await page.waitForFunction(
      (url) => window.location.href === url && "loopbackLab" in window,
      { timeout: 15_000 },
      FIREFOX_PANEL_URL,
    );
  } catch (error) {
    throw new Error(
      `The Loopback panel did not load at ${FIREFOX_PANEL_URL}; was Firefox started by launchFirefox, which fixes the extension's UUID, and the add-on not uninstalled since? (${String(error)})`,
    );
  }
  return { page, panel: page.mainFrame(), extensionId };
}
