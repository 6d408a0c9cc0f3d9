// `npm run diagnose`: launches the browser headless with the built extension, opens the real Loopback
// panel (Chrome: in DevTools; Firefox: the panel bundle as the extension's page, see firefox-panel.ts),
// runs the diagnosis there and prints what it found. Progress goes to stderr, results to stdout.
// Exit status: 0 pass or warn, 1 fail, 2 usage error or a browser that could not be started.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Browser, Frame } from "puppeteer-core";
import type { LabWindow, Report } from "../contract/automation";
import { errorMessage } from "../engine/core/errors";
import { DIAGNOSIS_STEP_NAMES, type DiagnosisProgress } from "../engine/diagnose/diagnosis";
import { type Verdict, worstVerdict } from "../engine/diagnose/verdict";
import { sideBySide, textSummary } from "../report/summary";
import {
  type BrowserName,
  BrowserNotFoundError,
  browserPath,
  launchChrome,
  launchFirefox,
  type NetworkMode,
  openChromePanel,
  openFirefoxPanel,
} from "./browsers";

const USAGE = `Usage: npm run diagnose -- [options]
       node dist/cli/diagnose.mjs [options]

Runs the WebRTC Loopback Lab diagnosis in a headless browser with the built extension and prints
the verdict, findings, throughput, latency and the timeline's key moments.

Options:
  --browser chrome|firefox|all   Which browser (default chrome); all runs each and prints them side by side.
  --json                         Print only the report as JSON on stdout (an array for --browser all).
  --out FILE                     Also write the report as JSON to FILE.
  --network inherit|offline      offline runs Chrome in a network namespace with every interface down
                                 (needs root; for testing the failure path). Default inherit.
  -h, --help                     Show this help.

Browsers: LOOPBACK_LAB_CHROME and LOOPBACK_LAB_FIREFOX name the executables to use.
Exit status: 0 pass or warn, 1 fail, 2 usage error or a browser that could not be started.`;

const EXIT = { ok: 0, fail: 1, usage: 2 } as const;

/** A problem that means "could not run the diagnosis" (exit 2), with a message for people. */
class CannotRun extends Error {}

interface Options {
  browsers: BrowserName[];
  json: boolean;
  out: string | undefined;
  network: NetworkMode;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      browser: { type: "string", default: "chrome" },
      json: { type: "boolean", default: false },
      out: { type: "string" },
      network: { type: "string", default: "inherit" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return "help";
  if (positionals.length > 0) throw new CannotRun(`Unexpected argument "${positionals[0]}".`);
  const browser = values.browser;
  if (browser !== "chrome" && browser !== "firefox" && browser !== "all")
    throw new CannotRun(`--browser must be chrome, firefox or all, not "${browser}".`);
  const network = values.network;
  if (network !== "inherit" && network !== "offline")
    throw new CannotRun(`--network must be inherit or offline, not "${network}".`);
  const out = values.out;
  if (out !== undefined) {
    const folder = dirname(resolve(out));
    if (out === "" || !existsSync(folder) || !statSync(folder).isDirectory())
      throw new CannotRun(`--out ${JSON.stringify(out)}: the folder ${folder} does not exist.`);
  }
  return {
    browsers: browser === "all" ? ["chrome", "firefox"] : [browser],
    json: values.json,
    out,
    network,
  };
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const LABEL: Record<BrowserName, string> = { chrome: "Chromium", firefox: "Firefox" };
const ENV: Record<BrowserName, string> = { chrome: "LOOPBACK_LAB_CHROME", firefox: "LOOPBACK_LAB_FIREFOX" };

function progressLine(name: BrowserName, p: DiagnosisProgress): string {
  const step = `[${name}] ${p.index}/${p.total} ${DIAGNOSIS_STEP_NAMES[p.step]}`;
  return p.status === "running" ? `${step} …` : `${step}: ${p.status} (${p.detail})`;
}

async function launch(name: BrowserName, network: NetworkMode): Promise<Browser> {
  // Resolve the path first so "not found" names every path tried and the variable to set.
  const path = browserPath(name);
  try {
    return name === "chrome" ? await launchChrome({ network }) : await launchFirefox({ network });
  } catch (error) {
    throw new CannotRun(
      `Could not start ${LABEL[name]} at ${path}: ${errorMessage(error)}\nSet ${ENV[name]} to another ${LABEL[name]} executable.`,
    );
  }
}

async function openPanel(name: BrowserName, browser: Browser): Promise<Frame> {
  const extensionDir = join(root, "dist", name);
  if (!existsSync(join(extensionDir, "manifest.json")))
    throw new CannotRun(`The extension is not built (no ${extensionDir}); run npm run build first.`);
  try {
    return name === "chrome"
      ? (await openChromePanel(browser, extensionDir)).panel
      : (await openFirefoxPanel(browser, extensionDir)).panel;
  } catch (error) {
    throw new CannotRun(
      `${LABEL[name]} started, but the Loopback panel did not open: ${errorMessage(error)}`,
    );
  }
}

async function diagnoseIn(name: BrowserName, network: NetworkMode): Promise<Report> {
  process.stderr.write(`[${name}] starting ${LABEL[name]} headless with the extension…\n`);
  const browser = await launch(name, network);
  try {
    const panel = await openPanel(name, browser);
    process.stderr.write(`[${name}] Loopback panel open; running the diagnosis\n`);
    let shown = 0;
    const showProgress = async () => {
      const progress = await panel
        .evaluate(() => (window as LabWindow).loopbackLab.diagnosisProgress())
        .catch(() => []);
      for (const p of progress.slice(shown)) process.stderr.write(`${progressLine(name, p)}\n`);
      shown = Math.max(shown, progress.length);
    };
    let finished = false;
    const running = panel
      .evaluate(() => (window as LabWindow).loopbackLab.runDiagnosis())
      .finally(() => {
        finished = true;
      });
    // Poll rather than bind a callback: it works the same in Chrome's DevTools frame and Firefox's tab.
    while (!finished) {
      await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 250))]);
      await showProgress();
    }
    try {
      return await running;
    } catch (error) {
      throw new CannotRun(`The diagnosis could not run in ${LABEL[name]}: ${errorMessage(error)}`);
    }
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }

  const reports: Report[] = [];
  const problems: string[] = [];
  for (const name of options.browsers) {
    try {
      reports.push(await diagnoseIn(name, options.network));
    } catch (error) {
      if (!(error instanceof CannotRun || error instanceof BrowserNotFoundError)) throw error;
      problems.push(error.message);
      process.stderr.write(`[${name}] ${error.message}\n`);
    }
  }

  if (reports.length > 0) {
    const json = `${JSON.stringify(options.browsers.length === 1 ? reports[0] : reports, null, 2)}\n`;
    if (options.json) process.stdout.write(json);
    else if (reports.length === 1) process.stdout.write(textSummary(reports[0] as Report, terminalWidth()));
    else {
      const width = terminalWidth(reports.length);
      const column = Math.max(50, Math.floor((width - 3 * (reports.length - 1)) / reports.length));
      process.stdout.write(
        sideBySide(
          reports.map((r) => textSummary(r, column)),
          column,
        ),
      );
    }
    if (options.out) {
      try {
        writeFileSync(options.out, json);
        process.stderr.write(`Report written to ${options.out}\n`);
      } catch (error) {
        problems.push(`Could not write ${options.out}: ${errorMessage(error)}`);
        process.stderr.write(`${problems.at(-1)}\n`);
      }
    }
  }
  if (problems.length > 0) return EXIT.usage;
  const verdicts = reports.map((r) => r.verdict).filter((v): v is Verdict => v !== null);
  return worstVerdict(verdicts) === "fail" ? EXIT.fail : EXIT.ok;
}

/** The terminal's width; a pipe or file takes 100 columns, or 160 for browsers side by side. */
function terminalWidth(columns = 1): number {
  if (process.stdout.columns && process.stdout.columns >= 60) return process.stdout.columns;
  return columns > 1 ? 160 : 100;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `diagnose: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.usage;
  },
);
