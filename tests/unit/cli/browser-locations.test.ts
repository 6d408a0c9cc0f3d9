// Finding the browsers on each platform, with the platform and the file system faked: the variable
// first, then the standard locations, then Chrome's channels; when nothing is there, what was tried
// and the platform's install command.
import { describe, expect, it } from "vitest";
import { locateBrowser, type Platform } from "../../../src/cli/browser-locations";

const none = () => false;
const only = (path: string) => (p: string) => p === path;

describe("locateBrowser", () => {
  it("takes the environment variable over everything, and says so when it points nowhere", () => {
    const env = { LOOPBACK_LAB_CHROME: "/opt/my/chrome" };
    expect(locateBrowser("chrome", { platform: "linux", env, exists: only("/opt/my/chrome") })).toEqual({
      path: "/opt/my/chrome",
    });
    expect(locateBrowser("chrome", { platform: "linux", env, exists: only("/usr/bin/chromium") })).toEqual({
      tried: ["/opt/my/chrome"],
      install: "sudo apt-get install chromium",
    });
  });

  it.each([
    ["linux", "firefox", "/usr/bin/firefox-esr"],
    ["linux", "chrome", "/usr/bin/chromium"],
    ["mac", "firefox", "/Applications/Firefox.app/Contents/MacOS/firefox"],
    ["mac", "chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"],
    ["windows", "firefox", "C:\\Program Files\\Mozilla Firefox\\firefox.exe"],
  ] as const)("finds %s's %s at its standard place", (platform, browser, path) => {
    expect(locateBrowser(browser, { platform, env: {}, exists: only(path), chrome: () => null })).toEqual({
      path,
    });
  });

  it("falls back to Google Chrome's release channels through Puppeteer's library", () => {
    const chrome = (platform: Platform) =>
      platform === "mac" ? "/Applications/Google Chrome Beta.app/Contents/MacOS/Google Chrome Beta" : null;
    expect(locateBrowser("chrome", { platform: "mac", env: {}, exists: none, chrome })).toEqual({
      path: "/Applications/Google Chrome Beta.app/Contents/MacOS/Google Chrome Beta",
    });
  });

  it.each([
    ["linux", "sudo apt-get install firefox-esr"],
    ["mac", "brew install --cask firefox"],
    ["windows", "winget install Mozilla.Firefox"],
  ] as const)("on %s with no browser names what it tried and the install command", (platform, install) => {
    const found = locateBrowser("firefox", { platform, env: {}, exists: none });
    expect(found).toMatchObject({ install });
    expect("tried" in found && found.tried.length).toBeGreaterThan(0);
  });

  it("says it looked for Chrome's channels too when no Chrome is found", () => {
    const found = locateBrowser("chrome", { platform: "windows", env: {}, exists: none, chrome: () => null });
    expect(found).toEqual({
      tried: ["Google Chrome stable, beta, dev and canary at their standard locations"],
      install: "winget install Google.Chrome",
    });
  });
});
