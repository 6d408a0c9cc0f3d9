// One browser's share of `diagnose`: start it, open the panel, run the diagnosis (as many times as
// --repeat says, each step echoed as it happens) and the ICE-server check, and close it again.
import type { Browser } from "puppeteer-core";
import type { DiagnosisOptions, DiagnosisProgress, Report } from "../contract/automation";
import { type LabFrame, lab } from "../contract/lab-client";
import { errorMessage, within } from "../engine/core/errors";
import { DIAGNOSIS_STEP_NAMES, DIAGNOSIS_STEP_SPECS } from "../engine/diagnose/diagnosis-steps";
import { TARGET_TIMEOUT_MS } from "../engine/ice/ice-check";
import { iceTargets } from "../engine/ice/ice-servers";
import { type BrowserName, BrowserNotFoundError } from "./browsers";
import type { DiagnoseOptions } from "./diagnose-options";
import { readHostNetwork } from "./host-network";
import type { JunitRun } from "./junit";
import { CannotRun, LABEL, launch, openLoopbackPanel } from "./launch-for-diagnosis";
import type { Progress } from "./progress";
import { serveStartPage } from "./start-page";
import { terminalText } from "./terminal-text";

export interface BrowserRun {
  /** The browser, or "dump" for a dump read without one (diagnose-dump.ts). */
  name: BrowserName | "dump";
  reports: Report[];
  junit: JunitRun[];
  /** Why the diagnosis could not run here, for people; absent when it ran. */
  problem?: string;
}

/** How long a browser may take to close. */
const CLOSE_TIMEOUT_MS = 10_000;
/** What DevTools inspects where no page can be served on 127.0.0.1. */
const BLANK = { url: "about:blank", close: () => undefined };

/** How long the panel may take to start the diagnosis and report its first step. */
const START_TIMEOUT_MS = 5000;
/**
 * How long the panel may leave a progress question unanswered before the automation link counts as
 * lost (Firefox's runs over a WebSocket on 127.0.0.1, which a firewall rule can cut): a second's work
 * at most, so this is silence, not a busy panel.
 */
const LINK_SILENCE_MS = 15_000;

/** The browser stopped answering over its automation link. */
class LinkLost extends CannotRun {}

/** `promise`, or a LinkLost after LINK_SILENCE_MS. */
function answered<T>(promise: Promise<T>, name: BrowserName): Promise<T> {
  return within(
    promise,
    LINK_SILENCE_MS,
    () =>
      new LinkLost(
        `${LABEL[name]} stopped answering over its automation link (nothing for ${LINK_SILENCE_MS / 1000} s): the link on 127.0.0.1 was cut, or the browser hung. No report.`,
      ),
  );
}

export async function diagnoseIn(
  name: BrowserName,
  options: DiagnoseOptions,
  progress: Progress,
): Promise<BrowserRun> {
  const run: BrowserRun = { name, reports: [], junit: [] };
  let browser: Browser | null = null;
  // DevTools inspects an ordinary web page, so the diagnosis's web-page probe runs where a user's page would.
  // (Offline, the browser sits in a network namespace of its own and cannot reach this process's server.)
  const page = options.network === "offline" ? BLANK : await serveStartPage().catch(() => BLANK);
  try {
    browser = await launch(name, options, progress);
    let panel: LabFrame;
    try {
      panel = await openLoopbackPanel(name, browser, progress, page.url);
    } catch (error) {
      if (!(error instanceof CannotRun) || page === BLANK) throw error;
      // No network even on 127.0.0.1 (every interface down): that is a diagnosis, not a reason to
      // stop. A fresh browser inspects about:blank instead, and the web-page probe says it could not run.
      progress.done();
      progress.say(
        `[${name}] The inspected page on 127.0.0.1 did not load (${error.message}); diagnosing with DevTools on about:blank.`,
      );
      await browser.close().catch(() => undefined);
      browser = await launch(name, options, progress);
      panel = await openLoopbackPanel(name, browser, progress, BLANK.url);
    }
    progress.done();
    progress.say(`[${name}] Loopback panel open; running the diagnosis`);
    await runIn(name, run, panel, options, progress);
  } catch (error) {
    progress.done();
    if (!(error instanceof CannotRun || error instanceof BrowserNotFoundError)) throw error;
    run.problem = error.message;
    run.junit.push({ name, report: null, problem: error.message, steps: [], durationMs: 0 });
    process.stderr.write(`[${name}] ${terminalText(error.message)}\n`);
  } finally {
    if (browser) {
      progress.waitFor(`[${name}] closing ${LABEL[name]}`, CLOSE_TIMEOUT_MS);
      await closeWithin(browser);
      progress.done();
    }
    page.close();
  }
  return run;
}

/** Closes the browser, or kills its process when it does not close within CLOSE_TIMEOUT_MS (a lost link). */
async function closeWithin(browser: Browser): Promise<void> {
  const closed = browser.close().catch(() => undefined);
  await within(closed, CLOSE_TIMEOUT_MS, () => new Error("late")).catch(() =>
    browser.process()?.kill("SIGKILL"),
  );
}

/** The diagnosis --repeat times, then the ICE-server check if asked for. */
async function runIn(
  name: BrowserName,
  run: BrowserRun,
  panel: LabFrame,
  options: DiagnoseOptions,
  progress: Progress,
): Promise<void> {
  const diagnosisOptions: DiagnosisOptions = {
    thresholds: options.thresholds,
    audience: "command-line",
    loopbackAllowed: options.allowLoopback,
    // Offline, the browser has a network namespace of its own: this machine's network is not its.
    ...(options.network === "offline" ? {} : { host: readHostNetwork() }),
  };
  for (let i = 1; i <= options.repeat; i++) {
    const label = options.repeat > 1 ? `${name}.run${i}` : name;
    const { report, junit } = await diagnoseOnce(name, panel, diagnosisOptions, progress, label);
    run.reports.push(withLaunch(name, report, options));
    run.junit.push(junit);
  }
  if (options.iceServers) {
    const checked = await iceCheckIn(name, panel, options.iceServers, progress);
    // The report made after the check holds it; the diagnosis in it is the same.
    run.reports[run.reports.length - 1] = withLaunch(name, checked, options);
  }
}

/** One diagnosis in the open panel, its steps echoed as they happen with the bound each is held to. */
async function diagnoseOnce(
  name: BrowserName,
  panel: LabFrame,
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
  progress.waitFor(`[${label}] starting the diagnosis`, START_TIMEOUT_MS);
  // Poll rather than bind a callback: it works the same in Chrome's DevTools frame and Firefox's toolbox.
  while (!finished) {
    await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 250))]);
    const seen = await answered(
      lab(panel)
        .call("diagnosisProgress")
        .catch(() => [] as DiagnosisProgress[]),
      name,
    );
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
  panel: LabFrame,
  iceServers: RTCIceServer[],
  progress: Progress,
): Promise<Report> {
  const targets = iceTargets(iceServers).length;
  progress.waitFor(`[${name}] checking ${targets} ICE-server targets`, targets * TARGET_TIMEOUT_MS);
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
function withLaunch(name: BrowserName, report: Report, options: DiagnoseOptions): Report {
  const args = name === "chrome" ? options.browserArgs.map(withoutUserInfo) : [];
  const prefs = name === "firefox" ? Object.entries(options.firefoxPrefs) : [];
  if (!options.allowLoopback && args.length === 0 && prefs.length === 0) return report;
  return {
    ...report,
    launchedWith: {
      allowLoopback: options.allowLoopback,
      ...(args.length > 0 ? { browserArgs: args } : {}),
      ...(prefs.length > 0 ? { firefoxPrefs: Object.fromEntries(prefs) } : {}),
    },
  };
}

/** An argument such as --proxy-server=http://user:secret@host keeps its host, never its user info. */
function withoutUserInfo(arg: string): string {
  return arg.replace(/\/\/[^/\s]*@/g, "//…@");
}
