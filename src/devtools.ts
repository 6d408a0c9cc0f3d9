// The DevTools page: registers the "Loopback" panel and tells the panel when it is shown or hidden,
// so the live chart can stop drawing while nobody looks at it.
import browser from "webextension-polyfill";
import { VISIBILITY_EVENT } from "./panel/visibility";

async function register(): Promise<void> {
  const panel = await browser.devtools.panels.create("Loopback", "/icons/icon-32.png", "/panel/panel.html");
  let panelWindow: Window | undefined;
  panel.onShown.addListener((win: Window) => {
    panelWindow = win;
    win.dispatchEvent(new CustomEvent(VISIBILITY_EVENT, { detail: { shown: true } }));
  });
  panel.onHidden.addListener(() => {
    panelWindow?.dispatchEvent(new CustomEvent(VISIBILITY_EVENT, { detail: { shown: false } }));
  });
}

void register();
