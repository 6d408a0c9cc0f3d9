// What `diagnose` gives back once every browser has run: the summaries (or --json) on stdout, the
// spread over --repeat and the comparison with --baseline, the --out and --junit files, and the exit
// status those add up to.
import { writeFileSync } from "node:fs";
import type { Report } from "../contract/automation";
import { reaches, worstLevel } from "../contract/levels";
import { errorMessage } from "../engine/core/errors";
import type { Verdict } from "../engine/diagnose/verdict";
import { againstBaseline } from "../report/baseline";
import { type RepeatSummary, summarizeRepeats } from "../report/repeats";
import { blocksText, sideBySide, type TextBlock, textBlocks } from "../report/summary";
import type { BrowserRun } from "./diagnose-in-browser";
import type { DiagnoseOptions } from "./diagnose-options";
import { baselineText, repeatText } from "./diagnose-text";
import { junitXml } from "./junit";
import type { Progress } from "./progress";
import { terminalText } from "./terminal-text";

export const EXIT = { ok: 0, fail: 1, usage: 2 } as const;

/** Prints and writes what the runs found; returns the exit status. */
export function deliverResults(runs: BrowserRun[], options: DiagnoseOptions, progress: Progress): number {
  const problems = runs.flatMap((r) => (r.problem ? [r.problem] : []));
  const fail = (problem: string) => {
    problems.push(problem);
    process.stderr.write(`${terminalText(problem)}\n`);
  };
  const done = runs.filter((r) => r.reports.length > 0);
  let regressed = false;
  if (done.length > 0) {
    const payloads = done.map((r) => jsonOf(r, options.repeat));
    const json = `${JSON.stringify(runs.length === 1 ? payloads[0] : payloads, null, 2)}\n`;
    const extras = done.map((r) => {
      const extra = extrasOf(r, options);
      regressed ||= extra.regressed;
      return extra.text;
    });
    printSummaries(done, extras, json, options);
    if (options.out) writeOut(options.out, json, "Report", progress, fail);
  }
  if (options.junit)
    writeOut(
      options.junit,
      junitXml(
        runs.flatMap((r) => r.junit),
        options.failOn === "warn",
      ),
      "JUnit XML",
      progress,
      fail,
    );
  if (problems.length > 0) return EXIT.usage;
  return failed(done, options) || regressed ? EXIT.fail : EXIT.ok;
}

/** A verdict at or past --fail-on; a failing ICE-server check counts too, though it never changes the verdict. */
function failed(done: BrowserRun[], options: DiagnoseOptions): boolean {
  const reports = done.flatMap((r) => r.reports);
  const verdicts = reports.map((r) => r.verdict).filter((v): v is Verdict => v !== null);
  const iceLevels = reports.flatMap((r) => (r.iceCheck ? [r.iceCheck.level] : []));
  return (
    reaches(worstLevel(verdicts), options.failOn) ||
    (iceLevels.length > 0 && reaches(worstLevel(iceLevels), options.failOn))
  );
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

/** On top of a browser's summary: the comparison with the baseline (the spread over repeats leads, see printSummaries). */
function extrasOf(run: BrowserRun, options: DiagnoseOptions): { text: string; regressed: boolean } {
  const last = run.reports.at(-1) as Report;
  let text = options.repeat > 1 && options.json ? repeatText(summarizeRepeats(run.reports)) : "";
  let regressed = false;
  const baseline =
    options.baseline?.find((b) => b.browser.name === last.browser.name) ?? options.baseline?.[0];
  if (baseline) {
    const result = againstBaseline(last, baseline, options.tolerances);
    regressed = result.regressions.length > 0;
    text += baselineText(result, baseline);
  }
  return { text: text ? `\n[${run.name}]${text}` : "", regressed };
}

function printSummaries(done: BrowserRun[], extras: string[], json: string, options: DiagnoseOptions): void {
  if (options.json) {
    process.stdout.write(json);
    // The rest still reaches a person reading the log.
    for (const text of extras) if (text) process.stderr.write(terminalText(text));
    return;
  }
  const width = terminalWidth(done.length);
  const column = Math.max(50, Math.floor((width - 3 * (done.length - 1)) / done.length));
  const summaries = done.map((r): TextBlock[] => {
    const blocks = textBlocks(r.reports.at(-1) as Report, done.length === 1 ? width : column);
    if (r.reports.length < 2) return blocks;
    // Repeated: the medians and spread lead; the report printed in full is named for what it is.
    const n = r.reports.length;
    const repeats = repeatText(summarizeRepeats(r.reports)).trim().split("\n");
    return [
      { key: "repeats", lines: repeats },
      { key: "run-note", lines: [`Run ${n} of ${n} (the last), in full:`] },
      ...blocks,
    ];
  });
  // Report text can hold whatever a page or a server said: printed safe for a terminal or a log.
  process.stdout.write(
    terminalText(summaries.length === 1 ? blocksText(summaries[0] ?? []) : sideBySide(summaries, column)),
  );
  for (const text of extras) process.stdout.write(terminalText(text));
}

function writeOut(
  path: string,
  text: string,
  what: string,
  progress: Progress,
  fail: (problem: string) => void,
): void {
  try {
    writeFileSync(path, text);
    progress.say(`${what} written to ${path}`);
  } catch (error) {
    fail(`Could not write ${path}: ${errorMessage(error)}`);
  }
}

/** The terminal's width; a pipe or file takes 100 columns, or 160 for browsers side by side. */
function terminalWidth(columns = 1): number {
  if (process.stdout.columns && process.stdout.columns >= 60) return process.stdout.columns;
  return columns > 1 ? 160 : 100;
}
