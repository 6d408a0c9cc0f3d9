// Firefox only (build.mjs adds it to Firefox's manifest): answers the one question the panel's own
// context cannot ask there. runtime.getBrowserInfo gives the browser's whole version ("153.8.0esr",
// where the user-agent string says "153.0"), but Firefox offers it to no DevTools page. No permission.
import browser from "webextension-polyfill";
import { BROWSER_VERSION_REQUEST } from "./contract/extension-messages";

browser.runtime.onMessage.addListener((message: unknown) =>
  message === BROWSER_VERSION_REQUEST
    ? browser.runtime.getBrowserInfo().then((info) => info.version)
    : undefined,
);
