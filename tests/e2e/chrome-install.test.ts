// Chrome loads dist/chrome as it is, with no warnings and no permissions (one optional), as chrome://extensions
// reports them.
import { readFileSync } from "node:fs";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChrome } from "../../src/cli/browsers";
import { CHROME_EXTENSION } from "./chrome-panel";

interface ExtensionInfo {
  id: string;
  name: string;
  installWarnings: string[];
  manifestErrors: unknown[];
  permissions?: { simplePermissions?: unknown[] };
}

describe("dist/chrome", () => {
  let browser: Browser;
  let info: ExtensionInfo | undefined;
  beforeAll(async () => {
    browser = await launchChrome();
    const id = await browser.installExtension(CHROME_EXTENSION);
    const page = await browser.newPage();
    await page.goto("chrome://extensions");
    const all = await page.evaluate(() =>
      (
        globalThis as unknown as { chrome: { developerPrivate: { getExtensionsInfo(): Promise<unknown[]> } } }
      ).chrome.developerPrivate.getExtensionsInfo(),
    );
    info = (all as ExtensionInfo[]).find((e) => e.id === id);
  });
  afterAll(async () => browser?.close());

  it("installs without warnings or manifest errors", () => {
    expect(info?.name).toBe("WebRTC Loopback Lab");
    expect(info?.installWarnings).toEqual([]);
    expect(info?.manifestErrors).toEqual([]);
  });

  it("asks for nothing at install: no permissions, background, content scripts or remote code", () => {
    const manifest = JSON.parse(readFileSync(`${CHROME_EXTENSION}/manifest.json`, "utf8"));
    for (const key of ["permissions", "host_permissions", "background", "content_scripts"]) {
      expect(manifest).not.toHaveProperty(key);
    }
    // Only asked for when the person wants the diagnosis to name the WebRTC IP-handling setting.
    expect(manifest.optional_permissions).toEqual(["privacy"]);
    // Chrome shows this one line for every extension with a DevTools page, whatever it asks for:
    // DevTools extensions can inspect any page. Nothing beyond it may appear.
    expect(info?.permissions?.simplePermissions ?? []).toEqual([
      { message: "Read and change all your data on all websites", submessages: [] },
    ]);
    expect(manifest.devtools_page).toBe("devtools.html");
  });
});
