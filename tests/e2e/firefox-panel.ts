// Test fixtures: real Firefox ESR over WebDriver BiDi, with the Loopback panel either in Firefox's
// own DevTools toolbox (useFirefoxToolbox: the extension as it ships; see src/cli/firefox-toolbox.ts)
// or as the extension's page in a tab (useFirefoxPanel: a harness copy, see src/cli/firefox-panel.ts),
// kept for what only a tab gives: Puppeteer's element handles, trusted clicks and file uploads.
import { resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import {
  type FirefoxPanel,
  type FirefoxToolboxPanel,
  type LaunchOptions,
  launchFirefox,
  openFirefoxPanel,
  openFirefoxToolbox,
} from "../../src/cli/browsers";
import {
  CHANNEL,
  closeToolboxInChrome,
  openToolboxInChrome,
  panelFrameScript,
} from "../../src/cli/firefox-chrome-scope";
import { serveStartPage } from "../../src/cli/start-page";
import { fieldsOf, openForSuite } from "./open-for-suite";

export const FIREFOX_EXTENSION = resolve("dist/firefox");

interface OpenFirefoxPanel extends FirefoxPanel {
  browser: Browser;
  close(): Promise<void>;
}

async function openPanel(options: LaunchOptions = {}): Promise<OpenFirefoxPanel> {
  const browser = await launchFirefox(options);
  try {
    const panel = await openFirefoxPanel(browser, FIREFOX_EXTENSION);
    return { ...panel, browser, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The open panel, read through once useFirefoxPanel's beforeAll has opened it. */
export type UsedFirefoxPanel = Omit<OpenFirefoxPanel, "close">;

/**
 * Opens the Firefox panel before the tests of this file (or of the describe block this is called
 * in) and closes it after them. Read the fields in tests and hooks.
 */
export function useFirefoxPanel(options: LaunchOptions = {}, timeout?: number): UsedFirefoxPanel {
  const open = openForSuite("The Firefox panel", () => openPanel(options), timeout);
  return fieldsOf(open, ["page", "panel", "extensionId", "browser"]);
}

interface OpenFirefoxToolbox extends FirefoxToolboxPanel {
  browser: Browser;
  close(): Promise<void>;
}

async function openToolbox(options: LaunchOptions & { url?: string } = {}): Promise<OpenFirefoxToolbox> {
  const start = options.url ? null : await serveStartPage();
  const browser = await launchFirefox(options);
  const close = async () => {
    await browser.close();
    start?.close();
  };
  try {
    const url = options.url ?? start?.url ?? "";
    return { ...(await openFirefoxToolbox(browser, FIREFOX_EXTENSION, { url })), browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The panel open in Firefox's real toolbox, read through once useFirefoxToolbox's beforeAll has opened it. */
export type UsedFirefoxToolbox = Omit<OpenFirefoxToolbox, "close">;

/**
 * Opens the Loopback panel in Firefox's own DevTools toolbox, on `url` or on a page of its own served
 * from 127.0.0.1, before the tests of this file (or describe block) and closes it after them. Calls
 * into the panel go through lab() and the frame's evaluate; there are no element handles there.
 */
export function useFirefoxToolbox(
  options: LaunchOptions & { url?: string } = {},
  timeout?: number,
): UsedFirefoxToolbox {
  const open = openForSuite("The Firefox toolbox", () => openToolbox(options), timeout);
  return fieldsOf(open, ["page", "panel", "extensionId", "browser"]);
}

/**
 * Closes DevTools and opens them again on the same page, with the Loopback panel selected, as a
 * person would; `open.panel` then reaches the new panel.
 */
export async function reopenToolbox(open: UsedFirefoxToolbox): Promise<void> {
  await open.panel.inBrowserWindow(closeToolboxInChrome);
  const opened = await open.panel.inBrowserWindow(
    openToolboxInChrome,
    open.extensionId,
    open.page.url(),
    panelFrameScript.toString(),
    CHANNEL,
    15_000,
  );
  if (!opened.ok) throw new Error(`Reopening the toolbox failed at ${opened.step}: ${opened.message}`);
  await open.panel.waitForFunction(() => "loopbackLab" in window, { timeout: 15_000 });
}

/** Clicks a control in the toolbox panel the way its own document would (no element handles reach it). */
export function clickInToolbox(open: Pick<UsedFirefoxToolbox, "panel">): (id: string) => Promise<void> {
  return (id) =>
    open.panel.evaluate((id) => {
      const control = document.getElementById(id) as HTMLButtonElement | null;
      if (!control || control.disabled) throw new Error(`#${id} is missing or disabled`);
      control.click();
    }, id);
}
