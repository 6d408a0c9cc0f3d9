// `npm start`: a visible Chromium with the built extension installed, one ordinary page (served by
// this script from 127.0.0.1: DevTools shows no extension panels on chrome:// pages) and DevTools
// open on it at the Loopback panel, for a person at a desktop. It runs until that browser is closed.
// Exit status: 0 when the browser was closed, 2 when there is no display or the browser cannot start.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../engine/core/errors";
import { launchChrome, openChromePanel } from "./browsers";
import { serveStartPage } from "./start-page";
import { preflight } from "./start-preflight";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = join(root, "dist", "chrome");

async function main(): Promise<number> {
  const path = preflight("npm start", "chrome", extensionDir);
  if (path === null) return 2;
  let browser: Awaited<ReturnType<typeof launchChrome>>;
  try {
    browser = await launchChrome({ headless: false });
  } catch (error) {
    process.stderr.write(
      `Could not start Chromium at ${path}: ${errorMessage(error)}\nSet LOOPBACK_LAB_CHROME to another Chromium executable.\n`,
    );
    return 2;
  }
  const page = await serveStartPage();
  const closed = new Promise<void>((resolve) =>
    browser.once("disconnected", () => {
      page.close();
      resolve();
    }),
  );
  // Ctrl+C closes the browser too, rather than leaving it orphaned.
  process.once("SIGINT", () => void browser.close());
  try {
    const { page: inspected } = await openChromePanel(browser, extensionDir, { url: page.url });
    // One page, not the launch's own blank tab beside it.
    for (const other of await browser.pages()) if (other !== inspected) await other.close();
  } catch (error) {
    process.stderr.write(`Chromium started, but the Loopback panel did not open: ${errorMessage(error)}\n`);
    await browser.close();
    return 2;
  }
  process.stderr.write(
    `Chromium is open on ${page.url} with DevTools on the Loopback panel. Close the browser (or press Ctrl+C) to finish.\n`,
  );
  await closed;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `start: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
