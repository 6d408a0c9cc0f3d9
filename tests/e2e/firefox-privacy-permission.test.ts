// "Read privacy settings": the optional privacy permission asked for by a click, then the browser's
// WebRTC IP-handling setting read through it. Firefox is where this can be driven: its test pref
// `extensions.webextOptionalPermissionPrompts` answers the permission prompt (Chrome's cannot be
// answered headless), and its IP-handling setting is made of prefs the test can set.
import { describe, expect, it } from "vitest";
import { byRole } from "./by-role";
import { useFirefoxPanel } from "./firefox-panel";

const open = useFirefoxPanel({
  firefoxPrefs: {
    "extensions.webextOptionalPermissionPrompts": false,
    // What Firefox's privacy API reports as "default_public_and_private_interfaces".
    "media.peerconnection.ice.default_address_only": true,
  },
});

const granted = () =>
  open.panel.evaluate(
    () =>
      new Promise<boolean>((resolve) =>
        (
          globalThis as unknown as {
            chrome: { permissions: { contains(p: object, cb: (g: boolean) => void): void } };
          }
        ).chrome.permissions.contains({ permissions: ["privacy"] }, resolve),
      ),
  );

describe("the optional privacy permission in Firefox", () => {
  it("is not held until asked for; a click asks, and the setting is then named", async () => {
    expect(await granted()).toBe(false);
    await (await byRole(open.panel, "tab", "Diagnosis")).click();
    await (await byRole(open.panel, "button", "Read privacy settings")).click();
    await open.panel.waitForFunction(
      () => (document.getElementById("privacy-status")?.textContent ?? "").includes("WebRTC IP handling"),
      { timeout: 10_000 },
    );
    expect(await granted()).toBe(true);
    expect(await open.panel.$eval("#privacy-status", (el) => el.textContent)).toBe(
      'WebRTC IP handling: "default_public_and_private_interfaces" (controllable by this extension).',
    );
    // Once it is read, the button has done its job.
    expect(await open.panel.$eval("#read-privacy", (el) => (el as HTMLElement).hidden)).toBe(true);
  });
});
