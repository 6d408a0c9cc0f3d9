// Test fixture: real Chromium, the built extension installed, DevTools open on the Loopback panel.
import { resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import { type ChromePanel, launchChrome, type NetworkMode, openChromePanel } from "../../src/cli/browsers";

export const CHROME_EXTENSION = resolve("dist/chrome");

export interface OpenPanel extends ChromePanel {
  browser: Browser;
  close(): Promise<void>;
}

export async function openPanel(
  network: NetworkMode = "inherit",
  options: { undocked?: boolean; home?: string; url?: string } = {},
): Promise<OpenPanel> {
  const browser = await launchChrome({ network, ...(options.home ? { home: options.home } : {}) });
  try {
    const panel = await openChromePanel(browser, CHROME_EXTENSION, options);
    return { ...panel, browser, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export { byRole, controlStates, IDLE_CONTROLS, isDisabled, OPEN_CONTROLS, showTab } from "./by-role";
