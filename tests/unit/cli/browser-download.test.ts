// Fetching a browser where none is installed, with Puppeteer's downloader faked: progress in tens of
// percent, the executable it installed, and a bounded, worded failure where the network says no.
import { describe, expect, it } from "vitest";
import { type Downloader, downloadBrowser } from "../../../src/cli/browser-download";

describe("downloadBrowser", () => {
  it("fetches the stable build with progress and gives back its executable", async () => {
    const asked: string[] = [];
    const downloader: Downloader = {
      resolveBuildId: async (browser, platform, tag) => {
        asked.push(`${browser} ${platform} ${tag}`);
        return "131.0.6778.85";
      },
      install: async (options) => {
        const report = options.downloadProgressCallback;
        if (typeof report === "function") for (const done of [0, 30, 60, 100]) report(done * 1e6, 100e6);
        return { executablePath: `${options.cacheDir}/chrome/linux-131.0.6778.85/chrome` };
      },
    };
    const lines: string[] = [];
    const path = await downloadBrowser("chrome", "linux", (l) => lines.push(l), downloader, "/cache");
    expect(path).toBe("/cache/chrome/linux-131.0.6778.85/chrome");
    expect(asked).toEqual(["chrome linux stable"]);
    expect(lines).toEqual([
      "downloading Chrome for Testing 131.0.6778.85 into /cache",
      "downloading: 0% of 100 MB",
      "downloading: 30% of 100 MB",
      "downloading: 60% of 100 MB",
      "downloading: 100% of 100 MB",
    ]);
  });

  it("says why where the network refuses, without waiting long", async () => {
    const downloader: Downloader = {
      resolveBuildId: async () => {
        throw new Error("getaddrinfo EAI_AGAIN storage.googleapis.com");
      },
      install: async () => ({ executablePath: "never" }),
    };
    await expect(downloadBrowser("firefox", "mac", () => undefined, downloader, "/cache")).rejects.toThrow(
      "the download failed: getaddrinfo EAI_AGAIN storage.googleapis.com",
    );
  });
});
