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

export const FIREFOX_EXTENSION = resolve("dist/firefox");

export interface OpenFirefoxPanel extends FirefoxPanel {
  browser: Browser;
  close(): Promise<void>;
}

export async function openPanel(options: LaunchOptions = {}): Promise<OpenFirefoxPanel> {
  const browser = await launchFirefox(options);
  try {
    const panel = await openFirefoxPanel(browser, FIREFOX_EXTENSION);
    return { ...panel, browser, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
