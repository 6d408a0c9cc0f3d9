// Test fixture: real Firefox ESR over WebDriver BiDi, the built extension's panel page open in a tab
// (see src/cli/firefox-panel.ts for how, and what that does not cover).
import { resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import {
  type FirefoxPanel,
  type LaunchOptions,
  launchFirefox,
  openFirefoxPanel,
} from "../../src/cli/browsers";
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
