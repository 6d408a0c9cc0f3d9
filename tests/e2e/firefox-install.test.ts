// The shipped dist/firefox, exactly as `npm run build` makes it, installs in real Firefox ESR.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchFirefox } from "../../src/cli/browsers";
import { FIREFOX_EXTENSION } from "./firefox-panel";

let browser: Browser;
beforeAll(async () => {
  browser = await launchFirefox();
});
afterAll(async () => browser?.close());

const geckoId: string = JSON.parse(readFileSync(join(FIREFOX_EXTENSION, "manifest.json"), "utf8"))
  .browser_specific_settings.gecko.id;

describe("the Firefox extension", () => {
  it("installs under the add-on id of its manifest, and Firefox then holds that add-on", async () => {
    // Before: Firefox has no add-on with this id, so it cannot uninstall one.
    await expect(browser.uninstallExtension(geckoId)).rejects.toThrow(/not installed/);
    expect(await browser.installExtension(FIREFOX_EXTENSION)).toBe(geckoId);
    // After: the add-on is there to uninstall, exactly once.
    await browser.uninstallExtension(geckoId);
    await expect(browser.uninstallExtension(geckoId)).rejects.toThrow(/not installed/);
  });

  it("is checked on install: Firefox refuses a directory whose manifest is not an extension's", async () => {
    const broken = mkdtempSync(join(tmpdir(), "loopback-lab-broken-"));
    writeFileSync(join(broken, "manifest.json"), "{}");
    await expect(browser.installExtension(broken)).rejects.toThrow(/invalid web extension/);
  });
});
