// What both start scripts check before opening a visible browser: a display, a built extension and
// the browser itself. Each failure is one clear line and exit status 2.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type BrowserName, BrowserNotFoundError, browserPath } from "./browsers";

/** The browser's executable path, or the reason it cannot start (already written to stderr). */
export function preflight(script: string, browser: BrowserName, extensionDir: string): string | null {
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return null;
  };
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    const diagnose = browser === "chrome" ? "npm run diagnose" : `npm run diagnose -- --browser ${browser}`;
    return fail(
      `${script} opens a visible browser window, but there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set).\nFor a diagnosis without a display, run: ${diagnose}`,
    );
  }
  if (!existsSync(join(extensionDir, "manifest.json")))
    return fail(`The extension is not built (no ${extensionDir}); run npm run build first.`);
  try {
    return browserPath(browser);
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError)) throw error;
    return fail(error.message);
  }
}
