// Names the browser for the report (which browser, which version). This is labelling only: nothing
// behaves differently on it; behaviour follows feature detection in src/engine/platform.ts.
import { BROWSER_VERSION_REQUEST } from "../contract/extension-messages";

export interface BrowserIdentity {
  name: string;
  version: string;
  userAgent: string;
}

export interface Brand {
  brand: string;
  version: string;
}

/** Brands that name a browser, most specific first (Chrome-based browsers also list "Chromium"). */
const CHROMIUM_BRANDS: [brand: string, name: string, versionPattern: RegExp][] = [
  ["Microsoft Edge", "Edge", /Edg\/([\d.]+)/],
  ["Opera", "Opera", /OPR\/([\d.]+)/],
  ["Google Chrome", "Chrome", /Chrome\/([\d.]+)/],
  ["Chromium", "Chromium", /Chrome\/([\d.]+)/],
];

/**
 * From the user-agent string and, where the browser offers it, navigator.userAgentData.brands
 * (Chromium only; the string alone cannot tell Chrome from Chromium). The full version comes from
 * the string because brands carry only the major version.
 */
export function identifyBrowser(
  userAgent: string,
  brands: readonly Brand[] = [],
  /** Firefox's own full version (runtime.getBrowserInfo: "153.8.0esr"); its string says "153.0". */
  firefoxVersion?: string,
): BrowserIdentity {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox?.[1]) return { name: "Firefox", version: firefoxVersion ?? firefox[1], userAgent };
  for (const [brand, name, pattern] of CHROMIUM_BRANDS) {
    const found = brands.find((b) => b.brand === brand);
    if (!found) continue;
    // Chrome reduces the string's version to "156.0.0.0"; a full brand version (from
    // getHighEntropyValues) is the real one, a major-only brand version is less than the string's.
    const fromString = pattern.exec(userAgent)?.[1];
    const full = found.version.includes(".") && !found.version.endsWith(".0.0.0");
    return { name, version: full || !fromString ? found.version : fromString, userAgent };
  }
  const chrome = /Chrome\/([\d.]+)/.exec(userAgent);
  if (chrome?.[1]) return { name: "Chromium", version: chrome[1], userAgent };
  const safari = /Version\/([\d.]+).*Safari\//.exec(userAgent);
  if (safari?.[1]) return { name: "Safari", version: safari[1], userAgent };
  return { name: "unknown", version: "unknown", userAgent };
}

interface UserAgentData {
  brands?: Brand[];
  getHighEntropyValues?(hints: string[]): Promise<{ fullVersionList?: Brand[] }>;
}

const userAgentData = () => (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
let fullVersionList: Brand[] | null = null;
let firefoxVersion: string | undefined;
let learning: Promise<void> | null = null;

interface FirefoxRuntime {
  getBrowserInfo?(): Promise<{ version?: unknown }>;
  sendMessage?(message: unknown): Promise<unknown>;
}
const firefoxRuntime = () => (globalThis as { browser?: { runtime?: FirefoxRuntime } }).browser?.runtime;

/**
 * Firefox's whole version: runtime.getBrowserInfo where this context has it (an extension page in a
 * tab), else its background script's answer (DevTools pages are not offered it). Bounded: 2 s.
 */
async function askFirefoxVersion(): Promise<unknown> {
  const runtime = firefoxRuntime();
  if (typeof runtime?.getBrowserInfo === "function") return (await runtime.getBrowserInfo()).version;
  if (typeof runtime?.sendMessage !== "function") return undefined;
  return Promise.race([
    runtime.sendMessage(BROWSER_VERSION_REQUEST),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
}

/** This page's browser; with the full version once learnFullVersion() has resolved. */
export function currentBrowser(): BrowserIdentity {
  return identifyBrowser(
    navigator.userAgent,
    fullVersionList ?? userAgentData()?.brands ?? [],
    firefoxVersion,
  );
}

/** Asks Chromium or Firefox for its full version (asynchronous in both). Never rejects. */
export function learnFullVersion(): Promise<void> {
  learning ??= (async () => {
    try {
      if (/Firefox\//.test(navigator.userAgent)) {
        const version = await askFirefoxVersion();
        if (typeof version === "string" && /^[\w.]{1,40}$/.test(version)) firefoxVersion = version;
      }
      const values = await userAgentData()?.getHighEntropyValues?.(["fullVersionList"]);
      if (values?.fullVersionList) fullVersionList = values.fullVersionList;
    } catch {
      // Refused or unsupported: the major version from the string stands.
    }
  })();
  return learning;
}
