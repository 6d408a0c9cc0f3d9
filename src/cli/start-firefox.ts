// `npm run start:firefox`: a visible Firefox with the built extension installed as it ships, on one
// ordinary page served from 127.0.0.1, with its DevTools toolbox open under the page on the Loopback
// panel, tall enough for the lanes. It opens the toolbox the way the tests and `diagnose` do
// (firefox-toolbox.ts). The extension is not reloaded on change: after a rebuild, run this again.
// Exit status: 0 once the person closes Firefox, 2 when there is no display, no Firefox, or the
// panel did not open.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../engine/core/errors";
import { launchFirefox, openFirefoxToolbox } from "./browsers";
import { serveStartPage } from "./start-page";
import { preflight } from "./start-preflight";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = join(root, "dist", "firefox");
/** The toolbox's height when docked at the bottom: every lane of the timeline without scrolling. */
const TOOLBOX_HEIGHT_PX = 480;

async function main(): Promise<number> {
  const firefox = preflight("npm run start:firefox", "firefox", extensionDir);
  if (firefox === null) return 2;
  const page = await serveStartPage();
  const browser = await launchFirefox({
    executablePath: firefox,
    headless: false,
    firefoxPrefs: { "devtools.toolbox.footer.height": TOOLBOX_HEIGHT_PX, "devtools.toolbox.host": "bottom" },
  });
  try {
    await openFirefoxToolbox(browser, extensionDir, { url: page.url });
  } catch (error) {
    await browser.close();
    page.close();
    throw error;
  }
  process.stderr.write(
    `Firefox is open on ${page.url}, with the Loopback panel in its toolbox. Close Firefox to end.\n`,
  );
  return new Promise((resolve) =>
    browser.once("disconnected", () => {
      page.close();
      resolve(0);
    }),
  );
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`start:firefox: ${errorMessage(error)}\n`);
    process.exitCode = 2;
  },
);
