import { launchFirefox, openFirefoxToolbox } from "./src/cli/browsers";
import { serveStartPage } from "./src/cli/start-page";
const t0 = Date.now(); const log = (...a: unknown[]) => console.log(((Date.now()-t0)/1000).toFixed(1), ...a);
const start = await serveStartPage();
const browser = await launchFirefox({});
log("launched");
const timer = setTimeout(async () => { log("TIMEOUT"); await browser.close(); process.exit(1); }, 60000);
try {
  const open = await openFirefoxToolbox(browser, process.cwd() + "/dist/firefox", { url: start.url });
  log("open", open.panel.toolId, await open.panel.title());
} catch (e) { log("error", String(e)); }
clearTimeout(timer);
await browser.close(); start.close();
