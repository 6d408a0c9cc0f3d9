// JUnit XML, what CI systems display: one test suite per browser run, one test case per support
// check, per diagnosis step and per finding. A fail is a <failure>; a warning is a <failure> when the
// gate fails on warnings and a <skipped> with the warning's words otherwise, so it shows either way.
import type { DiagnosisProgress } from "../engine/diagnose/diagnosis";
import { DIAGNOSIS_STEP_NAMES } from "../engine/diagnose/diagnosis-steps";
import { SUPPORT_CHECK_NAMES } from "../engine/diagnose/support";
import type { Report } from "../report/report";

export interface JunitRun {
  name: string;
  report: Report | null;
  /** Why there is no report, when there is none. */
  problem?: string;
  /** Each step's progress, stamped by the engine (ms since the diagnosis began). */
  steps: DiagnosisProgress[];
  durationMs: number;
}

interface Case {
  classname: string;
  name: string;
  seconds: number;
  failure?: { type: string; message: string; text: string };
  skipped?: string;
}

const xmlText = (text: string) =>
  // XML 1.0 allows no control characters but tab and newlines: drop them rather than write an invalid file.
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

function casesOf(run: JunitRun, failOnWarn: boolean): Case[] {
  const cases: Case[] = [];
  const suite = `webrtc-loopback-lab.${run.name}`;
  if (!run.report) {
    cases.push({
      classname: suite,
      name: "diagnosis ran",
      seconds: run.durationMs / 1000,
      failure: { type: "could-not-run", message: run.problem ?? "no report", text: run.problem ?? "" },
    });
    return cases;
  }
  // Steps: each from its start to its end as the command saw them.
  const started = new Map<string, number>();
  for (const progress of run.steps) {
    const { atMs } = progress;
    if (progress.status === "running") {
      started.set(progress.step, atMs);
      continue;
    }
    const c: Case = {
      classname: `${suite}.steps`,
      name: `${progress.index}. ${DIAGNOSIS_STEP_NAMES[progress.step]}`,
      seconds: (atMs - (started.get(progress.step) ?? atMs)) / 1000,
    };
    if (progress.status === "failed")
      c.failure = { type: "step-failed", message: progress.detail, text: progress.detail };
    else if (progress.status === "skipped") c.skipped = progress.detail;
    cases.push(c);
  }
  for (const check of run.report.support?.checks ?? []) {
    const c: Case = { classname: `${suite}.support`, name: SUPPORT_CHECK_NAMES[check.id], seconds: 0 };
    if (check.status === "no") c.failure = { type: "unsupported", message: check.detail, text: check.detail };
    else if (check.status === "not-checked") c.skipped = check.detail;
    cases.push(c);
  }
  for (const finding of run.report.findings) {
    const c: Case = { classname: `${suite}.findings`, name: finding.code, seconds: 0 };
    const text = finding.hint ? `${finding.message}\nHint: ${finding.hint}` : finding.message;
    if (finding.level === "fail" || (finding.level === "warn" && failOnWarn))
      c.failure = { type: finding.level, message: finding.message, text };
    else if (finding.level === "warn") c.skipped = `warning: ${finding.message}`;
    cases.push(c);
  }
  return cases;
}

export function junitXml(runs: readonly JunitRun[], failOnWarn: boolean): string {
  const suites = runs.map((run) => {
    const cases = casesOf(run, failOnWarn);
    const failures = cases.filter((c) => c.failure).length;
    const skipped = cases.filter((c) => c.skipped !== undefined).length;
    const body = cases
      .map((c) => {
        const open = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}" time="${c.seconds.toFixed(3)}"`;
        if (c.failure)
          return `${open}>\n      <failure type="${xmlText(c.failure.type)}" message="${xmlText(c.failure.message)}">${xmlText(c.failure.text)}</failure>\n    </testcase>`;
        if (c.skipped !== undefined)
          return `${open}>\n      <skipped message="${xmlText(c.skipped)}"/>\n    </testcase>`;
        return `${open}/>`;
      })
      .join("\n");
    const verdict = run.report?.verdict ?? "not run";
    return `  <testsuite name="webrtc-loopback-lab.${xmlText(run.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(run.durationMs / 1000).toFixed(3)}">\n    <properties>\n      <property name="verdict" value="${xmlText(verdict)}"/>\n      <property name="headline" value="${xmlText(run.report?.headline ?? run.problem ?? "")}"/>\n    </properties>\n${body}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="webrtc-loopback-lab">\n${suites.join("\n")}\n</testsuites>\n`;
}
