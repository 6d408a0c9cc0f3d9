// Where the browsers live on Linux, macOS and Windows. Google Chrome's release channels come from
// Puppeteer's own browser library (@puppeteer/browsers, which knows every platform's install
// locations); it has no system lookup for Chromium or Firefox, so their standard paths are listed
// here. The environment variables stay the first word. Pure but for `exists`, so the platform can be
// faked in unit tests.
import {
  BrowserPlatform,
  ChromeReleaseChannel,
  computeSystemExecutablePath,
  Browser as PuppeteerBrowser,
} from "@puppeteer/browsers";

export type BrowserName = "chrome" | "firefox";
export type Platform = "linux" | "mac" | "windows";

export const BROWSER_ENV: Record<BrowserName, string> = {
  chrome: "LOOPBACK_LAB_CHROME",
  firefox: "LOOPBACK_LAB_FIREFOX",
};

function standardPaths(browser: BrowserName, platform: Platform, env: NodeJS.ProcessEnv): string[] {
  const programFiles = [
    env.PROGRAMFILES,
    env["PROGRAMFILES(X86)"],
    "C:\\Program Files",
    "C:\\Program Files (x86)",
  ];
  const windows = (...tail: string[]) =>
    [...new Set(programFiles.filter((p): p is string => Boolean(p)))].map((root) =>
      [root, ...tail].join("\\"),
    );
  if (browser === "chrome") {
    if (platform === "linux") return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];
    if (platform === "mac") return ["/Applications/Chromium.app/Contents/MacOS/Chromium"];
    return env.LOCALAPPDATA ? [`${env.LOCALAPPDATA}\\Chromium\\Application\\chrome.exe`] : [];
  }
  if (platform === "linux") return ["/usr/bin/firefox-esr", "/usr/bin/firefox", "/snap/bin/firefox"];
  if (platform === "mac") return ["/Applications/Firefox.app/Contents/MacOS/firefox"];
  return windows("Mozilla Firefox", "firefox.exe");
}

const CHROME_CHANNELS = [
  ChromeReleaseChannel.STABLE,
  ChromeReleaseChannel.BETA,
  ChromeReleaseChannel.DEV,
  ChromeReleaseChannel.CANARY,
];

const PUPPETEER_PLATFORM: Record<Platform, BrowserPlatform> = {
  linux: BrowserPlatform.LINUX,
  mac: BrowserPlatform.MAC,
  windows: BrowserPlatform.WIN64,
};

/** Google Chrome of the first channel installed, as Puppeteer's library finds it; null when none is. */
function systemChrome(platform: Platform): string | null {
  for (const channel of CHROME_CHANNELS) {
    try {
      return computeSystemExecutablePath({
        browser: PuppeteerBrowser.CHROME,
        channel,
        platform: PUPPETEER_PLATFORM[platform],
      });
    } catch {
      // not installed on this channel
    }
  }
  return null;
}

const INSTALL_COMMANDS: Record<Platform, Record<BrowserName, string>> = {
  linux: { chrome: "sudo apt-get install chromium", firefox: "sudo apt-get install firefox-esr" },
  mac: { chrome: "brew install --cask chromium", firefox: "brew install --cask firefox" },
  windows: { chrome: "winget install Google.Chrome", firefox: "winget install Mozilla.Firefox" },
};

export type Found = { path: string } | { tried: string[]; install: string };

export interface LocateOptions {
  platform: Platform;
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
  /** Chrome's channels through @puppeteer/browsers; replaceable in unit tests. */
  chrome?: (platform: Platform) => string | null;
}

/** The browser's executable: the variable's if set, else the first standard location that exists. */
export function locateBrowser(browser: BrowserName, options: LocateOptions): Found {
  const fromEnv = options.env[BROWSER_ENV[browser]];
  const install = INSTALL_COMMANDS[options.platform][browser];
  if (fromEnv) return options.exists(fromEnv) ? { path: fromEnv } : { tried: [fromEnv], install };
  const paths = standardPaths(browser, options.platform, options.env);
  const local = paths.find((path) => options.exists(path));
  if (local) return { path: local };
  if (browser === "chrome") {
    const chrome = (options.chrome ?? systemChrome)(options.platform);
    if (chrome) return { path: chrome };
    paths.push("Google Chrome stable, beta, dev and canary at their standard locations");
  }
  return { tried: paths, install };
}

export function currentPlatform(): Platform {
  return process.platform === "darwin" ? "mac" : process.platform === "win32" ? "windows" : "linux";
}
