// `npm run diagnose`: launches the browser headless with the built extension, opens the real Loopback
// panel (Chrome: in DevTools; Firefox: the panel bundle as the extension's page, see firefox-panel.ts),
// runs the diagnosis there and prints what it found. Progress goes to stderr, results to stdout.
// Exit status: 0 pass (or warn), 1 a verdict at or past --fail-on or a regression against the
// baseline, 2 usage error or a browser that could not be started.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Frame } from "puppeteer-core";
import type { DiagnosisOptions, DiagnosisProgress, Report } from "../contract/automation";
import { lab } from "../contract/lab-client";
import { reaches, worstLevel } from "../contract/levels";
import { errorMessage } from "../engine/core/errors";
import { DIAGNOSIS_STEP_NAMES, DIAGNOSIS_STEP_SPECS } from "../engine/diagnose/diagnosis-steps";
import type { Verdict } from "../engine/diagnose/verdict";
import { iceTargets } from "../engine/ice/ice-servers";
import { againstBaseline } from "../report/baseline";
import { type RepeatSummary, summarizeRepeats } from "../report/repeats";
import { sideBySide, textSummary } from "../report/summary";
import { downloadBrowser, RESOLVE_LIMIT_MS } from "./browser-download";
import { BROWSER_ENV, currentPlatform } from "./browser-locations";
import {
  type BrowserName,
  BrowserNotFoundError,
  browserPath,
  launchChrome,
  launchFirefox,
  openChromePanel,
  openFirefoxPanel,
} from "./browsers";
import { type DiagnoseOptions, parseOptions, USAGE } from "./diagnose-options";
import { baselineText, repeatText } from "./diagnose-text";
import { type JunitRun, junitXml } from "./junit";
import { Progress } from "./progress";
import { serveStartPage } from "./start-page";

const EXIT = { ok: 0, fail: 1, usage: 2 } as const;

/** A problem that means "could not run the diagnosis" (exit 2), with a message for people. */
class CannotRun extends Error {}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const LABEL: Record<BrowserName, string> = { chrome: "Chromium", firefox: "Firefox" };
const ENV: Record<BrowserName, string> = { chrome: "LOOPBACK_LAB_CHROME", firefox: "LOOPBACK_LAB_FIREFOX" };
/** The bounds the command waits within: the browser's start, the panel's opening. */
const LAUNCH_LIMIT_MS = 60_000;
const PANEL_LIMIT_MS = 90_000;

interface BrowserRun {
  name: BrowserName;
  reports: Report[];
  junit: JunitRun[];
  problem?: string;
}

/** The system's browser; where there is none (and no variable names one), one fetched for us. */
async function executableFor(name: BrowserName, progress: Progress): Promise<string> {
  try {
    return browserPath(name);
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError) || process.env[BROWSER_ENV[name]]) throw error;
    progress.waitFor(
      `[${name}] no ${LABEL[name]} installed: asking Puppeteer's downloader for one`,
      RESOLVE_LIMIT_MS,
    );
    try {
      return await downloadBrowser(name, currentPlatform(), (line) => progress.say(`[${name}] ${line}`));
    } catch (download) {
      throw new BrowserNotFoundError(name, error.tried, error.install, errorMessage(download));
    } finally {
      progress.done();
    }
  }
}

/** Errors that mean the browser ran but its automation link (on 127.0.0.1) could not be made. */
const LINK_PROBLEM =
  /ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|socket|WebSocket|within \d+ s/i;

async function launch(name: BrowserName, options: DiagnoseOptions, progress: Progress): Promise<Browser> {
  // Resolve the path first so "not found" names every path tried and the variable to set.
  const path = await executableFor(name, progress);
  progress.waitFor(`[${name}] starting ${LABEL[name]} headless with the extension`, LAUNCH_LIMIT_MS);
  const launching =
    name === "chrome"
      ? launchChrome({ network: options.network, executablePath: path, allowLoopback: options.allowLoopback })
      : launchFirefox({
          network: options.network,
          executablePath: path,
          allowLoopback: options.allowLoopback,
        });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer on the automation link within ${LAUNCH_LIMIT_MS / 1000} s`)),
      LAUNCH_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([launching, deadline]);
  } catch (error) {
    // A browser that starts late is closed as soon as it does: nothing is left running.
    void launching.then((late) => late.close()).catch(() => undefined);
    const message = errorMessage(error);
    if (LINK_PROBLEM.test(message))
      throw new CannotRun(
        `${LABEL[name]} at ${path} started, but the command could not reach it over its automation link on 127.0.0.1 (${message}). The loopback interface is down or local traffic is filtered here; the browser itself is not at fault.`,
      );
    throw new CannotRun(
      `Could not start ${LABEL[name]} at ${path}: ${message}\nSet ${ENV[name]} to another ${LABEL[name]} executable.`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function openPanel(
  name: BrowserName,
  browser: Browser,
  progress: Progress,
  pageUrl: string,
): Promise<Frame> {
  const extensionDir = join(root, "dist", name);
  if (!existsSync(join(extensionDir, "manifest.json")))
    throw new CannotRun(`The extension is not built (no ${extensionDir}); run npm run build first.`);
  progress.waitFor(`[${name}] opening the Loopback panel`, PANEL_LIMIT_MS);
  try {
    return name === "chrome"
      ? (await openChromePanel(browser, extensionDir, { url: pageUrl })).panel
      : (await openFirefoxPanel(browser, extensionDir)).panel;
  } catch (error) {
    throw new CannotRun(
      `${LABEL[name]} started, but the Loopback panel did not open: ${errorMessage(error)}`,
    );
  }
}

/** One diagnosis in the open panel, its steps echoed as they happen. */
async function diagnoseOnce(
  name: BrowserName,
  panel: Frame,
  options: DiagnosisOptions,
  progress: Progress,
  label: string,
): Promise<{ report: Report; junit: JunitRun }> {
  const started = Date.now();
  const steps: JunitRun["steps"] = [];
  let finished = false;
  const running = lab(panel)
    .call("runDiagnosis", options)
    .finally(() => {
      finished = true;
    });
  progress.waitFor(`[${label}] starting the diagnosis`, 5000);
  // Poll rather than bind a callback: it works the same in Chrome's DevTools frame and Firefox's tab.
  while (!finished) {
    await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 250))]);
    const seen = await lab(panel)
      .call("diagnosisProgress")
      .catch(() => [] as DiagnosisProgress[]);
    for (const p of seen.slice(steps.length)) {
      steps.push(p);
      const step = `[${label}] ${p.index}/${p.total} ${DIAGNOSIS_STEP_NAMES[p.step]}`;
      if (p.status === "running")
        progress.waitFor(step, p.timeoutMs, DIAGNOSIS_STEP_SPECS[p.step].scaling ?? null);
      else progress.say(`${step}: ${p.status} (${p.detail})`);
    }
  }
  try {
    const report = await running;
    return { report, junit: { name: label, report, steps, durationMs: Date.now() - started } };
  } catch (error) {
    throw new CannotRun(`The diagnosis could not run in ${LABEL[name]}: ${errorMessage(error)}`);
  } finally {
    progress.done();
  }
}

/** The ICE-server check in the open panel; each of its steps is bounded by the engine. */
async function iceCheckIn(
  name: BrowserName,
  panel: Frame,
  iceServers: RTCIceServer[],
  progress: Progress,
): Promise<Report> {
  const targets = iceTargets(iceServers).length;
  progress.waitFor(`[${name}] checking ${targets} ICE-server targets`, targets * ICE_TARGET_LIMIT_MS);
  try {
    await lab(panel).call("runIceCheck", { iceServers });
    return await lab(panel).call("report");
  } catch (error) {
    throw new CannotRun(`The ICE-server check could not run in ${LABEL[name]}: ${errorMessage(error)}`);
  } finally {
    progress.done();
  }
}

/** The report names how the command started the browser, where that changes what is diagnosed. */
function withLaunch(report: Report, options: DiagnoseOptions): Report {
  return options.allowLoopback ? { ...report, launchedWith: { allowLoopback: true } } : report;
}

/** Gathering (8 s at most), a relay connect (10 s at most) and two short runs. */
const ICE_TARGET_LIMIT_MS = 25_000;

async function diagnoseIn(
  name: BrowserName,
  options: DiagnoseOptions,
  progress: Progress,
): Promise<BrowserRun> {
  const run: BrowserRun = { name, reports: [], junit: [] };
  const diagnosisOptions: DiagnosisOptions = { thresholds: options.thresholds };
  let browser: Browser | null = null;
  // DevTools inspects an ordinary web page, so the diagnosis's web-page probe runs where a user's page would.
  // (Offline, the browser sits in a network namespace of its own and cannot reach this process's server.)
  const page =
    options.network === "offline" ? { url: "about:blank", close: () => undefined } : await serveStartPage();
  try {
    browser = await launch(name, options, progress);
    const panel = await openPanel(name, browser, progress, page.url);
    progress.done();
    progress.say(`[${name}] Loopback panel open; running the diagnosis`);
    for (let i = 1; i <= options.repeat; i++) {
      const label = options.repeat > 1 ? `${name}.run${i}` : name;
      const { report, junit } = await diagnoseOnce(name, panel, diagnosisOptions, progress, label);
      run.reports.push(withLaunch(report, options));
      run.junit.push(junit);
    }
    if (options.iceServers) {
      const checked = await iceCheckIn(name, panel, options.iceServers, progress);
      // The report made after the check holds it; the diagnosis in it is the same.
      run.reports[run.reports.length - 1] = withLaunch(checked, options);
    }
  } catch (error) {
    progress.done();
    if (!(error instanceof CannotRun || error instanceof BrowserNotFoundError)) throw error;
    run.problem = error.message;
    run.junit.push({ name, report: null, problem: error.message, steps: [], durationMs: 0 });
    process.stderr.write(`[${name}] ${error.message}\n`);
  } finally {
    if (browser) {
      progress.waitFor(`[${name}] closing ${LABEL[name]}`, 10_000);
      await browser.close().catch(() => undefined);
      progress.done();
    }
    page.close();
  }
  return run;
}

/** What --json prints for one browser: its report, or with --repeat the runs and their summary. */
function jsonOf(
  run: BrowserRun,
  repeat: number,
): Report | { summary: RepeatSummary; reports: Report[] } | null {
  const last = run.reports.at(-1);
  if (!last) return null;
  return repeat > 1 ? { summary: summarizeRepeats(run.reports), reports: run.reports } : last;
}

async function main(argv: string[]): Promise<number> {
  let options: DiagnoseOptions | "help";
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
  const progress = new Progress({
    quiet: options.quiet,
    interactive: process.stderr.isTTY === true,
    write: (text) => process.stderr.write(text),
  });

  const runs: BrowserRun[] = [];
  for (const name of options.browsers) runs.push(await diagnoseIn(name, options, progress));
  const problems = runs.flatMap((r) => (r.problem ? [r.problem] : []));
  const done = runs.filter((r) => r.reports.length > 0);
  let regressed = false;

  if (done.length > 0) {
    const payloads = done.map((r) => jsonOf(r, options.repeat));
    const json = `${JSON.stringify(options.browsers.length === 1 ? payloads[0] : payloads, null, 2)}\n`;
    // On top of each browser's summary: the spread over repeats, the comparison with the baseline.
    const extras = done.map((r) => {
      const last = r.reports.at(-1) as Report;
      let text = options.repeat > 1 ? repeatText(summarizeRepeats(r.reports)) : "";
      const baseline =
        options.baseline?.find((b) => b.browser.name === last.browser.name) ?? options.baseline?.[0];
      if (baseline) {
        const result = againstBaseline(last, baseline, options.tolerances);
        regressed ||= result.regressions.length > 0;
        text += baselineText(result, baseline);
      }
      return text ? `\n[${r.name}]${text}` : "";
    });
    if (options.json) {
      process.stdout.write(json);
      // The rest still reaches a person reading the log.
      for (const text of extras) if (text) process.stderr.write(text);
    } else {
      const width = terminalWidth(done.length);
      const column = Math.max(50, Math.floor((width - 3 * (done.length - 1)) / done.length));
      const summaries = done.map((r) =>
        textSummary(r.reports.at(-1) as Report, done.length === 1 ? width : column),
      );
      process.stdout.write(summaries.length === 1 ? (summaries[0] as string) : sideBySide(summaries, column));
      for (const text of extras) process.stdout.write(text);
    }
    if (options.out) {
      try {
        writeFileSync(options.out, json);
        progress.say(`Report written to ${options.out}`);
      } catch (error) {
        problems.push(`Could not write ${options.out}: ${errorMessage(error)}`);
        process.stderr.write(`${problems.at(-1)}\n`);
      }
    }
  }
  if (options.junit) {
    try {
      writeFileSync(
        options.junit,
        junitXml(
          runs.flatMap((r) => r.junit),
          options.failOn === "warn",
        ),
      );
      progress.say(`JUnit XML written to ${options.junit}`);
    } catch (error) {
      problems.push(`Could not write ${options.junit}: ${errorMessage(error)}`);
      process.stderr.write(`${problems.at(-1)}\n`);
    }
  }
  if (problems.length > 0) return EXIT.usage;
  const verdicts = done
    .flatMap((r) => r.reports.map((rep) => rep.verdict))
    .filter((v): v is Verdict => v !== null);
  if (reaches(worstLevel(verdicts), options.failOn)) return EXIT.fail;
  // A failing ICE-server check fails the command, though it never changes the local stack's verdict.
  const iceLevels = done.flatMap((r) =>
    r.reports.flatMap((rep) => (rep.iceCheck ? [rep.iceCheck.level] : [])),
  );
  if (iceLevels.length > 0 && reaches(worstLevel(iceLevels), options.failOn)) return EXIT.fail;
  return regressed ? EXIT.fail : EXIT.ok;
}

/** The terminal's width; a pipe or file takes 100 columns, or 160 for browsers side by side. */
function terminalWidth(columns = 1): number {
  if (process.stdout.columns && process.stdout.columns >= 60) return process.stdout.columns;
  return columns > 1 ? 160 : 100;
}

// Ctrl-C or a CI runner's SIGTERM: stop cleanly, with the usual "interrupted" statuses, no stack trace.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\ndiagnose: interrupted (${signal}); no report.\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

/** Resolves once everything written so far has left the process (a pipe is written asynchronously). */
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write("", () => resolve()));

// Exit as soon as the results are out: a browser that never answered may leave a connection
// attempt pending for minutes, and puppeteer kills the browsers it launched on exit.
main(process.argv.slice(2))
  .catch((error: unknown) => {
    process.stderr.write(
      `diagnose: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.usage;
  })
  .then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
