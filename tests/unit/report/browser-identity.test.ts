import { describe, expect, it } from "vitest";
import { identifyBrowser } from "../../../src/report/browser-identity";

const CHROMIUM_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";

describe("identifyBrowser", () => {
  it("names Firefox with its full version", () => {
    const ua = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";
    expect(identifyBrowser(ua)).toEqual({ name: "Firefox", version: "153.0", userAgent: ua });
    // The string rounds ESR 153.8.0 to "153.0"; runtime.getBrowserInfo gives the whole version.
    expect(identifyBrowser(ua, [], "153.8.0esr")).toMatchObject({ name: "Firefox", version: "153.8.0esr" });
  });

  it("prefers a full brand version over Chrome's reduced user-agent version", () => {
    const full = [
      { brand: "Chromium", version: "156.0.8078.79" },
      { brand: "Not=A?Brand", version: "99.0.0.0" },
    ];
    expect(identifyBrowser(CHROMIUM_UA, full)).toMatchObject({ name: "Chromium", version: "156.0.8078.79" });
    expect(identifyBrowser(CHROMIUM_UA, [{ brand: "Chromium", version: "156" }])).toMatchObject({
      version: "156.0.0.0",
    });
  });

  it("tells Chrome and Edge from Chromium by their brands", () => {
    const chrome = [
      { brand: "Chromium", version: "156" },
      { brand: "Google Chrome", version: "156" },
    ];
    expect(identifyBrowser(CHROMIUM_UA, chrome).name).toBe("Chrome");
    const edgeUa = `${CHROMIUM_UA} Edg/156.0.3000.1`;
    expect(identifyBrowser(edgeUa, [...chrome, { brand: "Microsoft Edge", version: "156" }])).toMatchObject({
      name: "Edge",
      version: "156.0.3000.1",
    });
    expect(identifyBrowser("curl/8.0")).toMatchObject({ name: "unknown", version: "unknown" });
  });
});
