// Test fixture: real Chromium, the built extension installed, DevTools open on the Loopback panel.
import { resolve } from "node:path";
import type { Browser } from "puppeteer-core";
import { type ChromePanel, launchChrome, type NetworkMode, openChromePanel } from "../../src/cli/browsers";
import { fieldsOf, openForSuite } from "./open-for-suite";

export const CHROME_EXTENSION = resolve("dist/chrome");

interface OpenPanel extends ChromePanel {
  browser: Browser;
  close(): Promise<void>;
}

async function openPanel(
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

export interface ChromePanelOptions {
  network?: NetworkMode;
  undocked?: boolean;
  home?: string;
  /** The page DevTools inspects (about:blank otherwise). */
  url?: string;
  /** Where Chrome saves downloads (Save report), without asking. */
  downloadsTo?: string;
}

/** The open panel, read through once useChromePanel's beforeAll has opened it. */
export type UsedPanel = Omit<OpenPanel, "close">;

/**
 * Opens the Chrome panel before the tests of this file (or of the describe block this is called
 * in) and closes it after them. `options` may be a function, called in the beforeAll, for options
 * that come from an earlier hook (a server's address). Read the fields in tests and hooks.
 */
export function useChromePanel(
  options: ChromePanelOptions | (() => ChromePanelOptions) = {},
  timeout?: number,
): UsedPanel {
  const open = openForSuite(
    "The Chrome panel",
    async () => {
      const { network, downloadsTo, ...rest } = typeof options === "function" ? options() : options;
      const opened = await openPanel(network, rest);
      if (downloadsTo) {
        try {
          const cdp = await opened.browser.target().createCDPSession();
          await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloadsTo });
        } catch (error) {
          await opened.close();
          throw error;
        }
      }
      return opened;
    },
    timeout,
  );
  return fieldsOf(open, ["page", "devtools", "panel", "extensionId", "browser"]);
}

export { byRole, controlStates, IDLE_CONTROLS, OPEN_CONTROLS, showTab } from "./by-role";
