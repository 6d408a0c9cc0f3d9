// The diagnosis and the report: Run diagnosis with its progress in the toolbar and its steps in the
// Diagnosis tab, the verdict at the toolbar's end, Copy report,
// Copy summary, Save report (a JSON file; no permission needed) and Open report (a saved report
// shown beside this browser's, point by point). Everything from a report is shown as text.

import validateReport from "virtual:report-validator";
import { LEVEL_WORDS } from "../contract/levels";
import { errorMessage } from "../engine/core/errors";
import type { DiagnosisProgress } from "../engine/diagnose/diagnosis";
import { DIAGNOSIS_STEP_NAMES } from "../engine/diagnose/diagnosis-steps";
import type { Lab } from "../engine/lab";
import { learnFullVersion } from "../report/browser-identity";
import { compareReports } from "../report/compare";
import { MAX_REPORT_BYTES, parseReport } from "../report/open-report";
import { buildReport, type Report } from "../report/report";
import { markdownSummary } from "../report/summary";
import { byId, textElement } from "./elements";
import { renderFindings } from "./findings-view";

type Say = (text: string, level?: "info" | "error") => void;

export function mountReportView(lab: Lab): void {
  const notice = byId("report-notice", HTMLSpanElement);
  const say: Say = (text, level = "info") => {
    notice.textContent = text;
    notice.className = `notice ${level}`;
  };
  const verdict = byId("verdict", HTMLSpanElement);
  const showVerdict = (report: Report) => {
    verdict.dataset.verdict = report.verdict ?? "";
    delete verdict.dataset.earlier;
    verdict.textContent = report.verdict
      ? `${LEVEL_WORDS[report.verdict]}: ${report.headline}`
      : "No diagnosis yet";
    verdict.title = verdict.textContent;
  };
  const comparison = mountComparison(lab, say);
  mountDiagnosis(lab, say, {
    started: () => {
      // The verdict shown is the last diagnosis's until this one ends: say so.
      if (verdict.dataset.verdict) verdict.dataset.earlier = "true";
    },
    finished: (report) => {
      showVerdict(report);
      comparison.render();
    },
  });
  mountReportActions(lab, say);
  showVerdict(buildReport(lab));
  void learnFullVersion();
}

/** Run diagnosis, its progress in the toolbar and its steps, headline and findings in the Diagnosis tab. */
function mountDiagnosis(lab: Lab, say: Say, on: { started(): void; finished(report: Report): void }): void {
  const run = byId("run-diagnosis", HTMLButtonElement);
  const current = byId("diagnosis-current", HTMLSpanElement);
  const progressBar = byId("diagnosis-progress", HTMLProgressElement);
  const steps = byId("diagnosis-steps", HTMLOListElement);
  const headlineText = byId("diagnosis-headline", HTMLParagraphElement);
  const findings = byId("diagnosis-findings", HTMLUListElement);

  const setStep = (p: DiagnosisProgress) => {
    const id = `diagnosis-step-${p.step}`;
    let item = steps.querySelector<HTMLLIElement>(`#${id}`);
    if (!item) {
      item = document.createElement("li");
      item.id = id;
      steps.append(item);
    }
    item.dataset.status = p.status;
    const name = DIAGNOSIS_STEP_NAMES[p.step];
    item.textContent = p.status === "running" ? name : `${name}: ${p.status} (${p.detail})`;
    progressBar.max = p.total;
    progressBar.value = p.status === "running" ? p.index - 1 : p.index;
    current.textContent = p.status === "running" ? `${p.index}/${p.total} ${name}…` : "";
  };

  run.addEventListener("click", () => {
    // While one runs the button stays focusable (aria-disabled, not disabled): focus stays put.
    if (run.getAttribute("aria-disabled") === "true") return;
    lab.diagnosis
      .run()
      .catch((error: unknown) => say(`The diagnosis stopped: ${errorMessage(error)}`, "error"));
  });
  const job = lab.diagnosis.job;
  job.events.on("busy", (now) => {
    run.setAttribute("aria-disabled", String(now));
    progressBar.hidden = !now;
    if (!now) current.textContent = "";
  });
  job.events.on("progress", (progress) => {
    if (progress.index === 1 && progress.status === "running") {
      steps.replaceChildren();
      findings.replaceChildren();
      headlineText.textContent = "";
      say("Running the diagnosis…");
      on.started();
    }
    setStep(progress);
  });
  job.events.on("result", (result) => {
    const report = buildReport(lab);
    headlineText.textContent = report.headline;
    renderFindings(findings, report.findings);
    say(`Diagnosis finished in ${(result.durationMs / 1000).toFixed(1)} s.`);
    on.finished(report);
  });
}

/** Copy report, Copy summary, Save report: this browser's report as it stands. */
function mountReportActions(lab: Lab, say: Say): void {
  // The session's received messages go into a report only when the person ticks this.
  const includeMessages = byId("report-include-messages", HTMLInputElement);
  const exported = () => buildReport(lab, { includeMessages: includeMessages.checked });
  const copied = (ok: boolean, what: string) =>
    say(
      ok
        ? `${what} copied as ${what === "Report" ? "JSON" : "Markdown"}.`
        : "The browser refused the clipboard; use Save report instead.",
      ok ? "info" : "error",
    );
  byId("copy-report", HTMLButtonElement).addEventListener("click", () => {
    void copyText(JSON.stringify(exported(), null, 2)).then((ok) => copied(ok, "Report"));
  });
  byId("copy-summary", HTMLButtonElement).addEventListener("click", () => {
    void copyText(markdownSummary(exported())).then((ok) => copied(ok, "Summary"));
  });
  byId("save-report", HTMLButtonElement).addEventListener("click", () => {
    const report = exported();
    const name = `loopback-report-${report.browser.name.toLowerCase()}-${(report.exportedAt ?? report.createdAt).replace(/[:.]/g, "-")}.json`;
    saveFile(name, `${JSON.stringify(report, null, 2)}\n`);
    say(`Saved ${name}.`);
  });
}

/** Open report: a saved report, validated, shown beside this browser's point by point, as text. */
function mountComparison(lab: Lab, say: Say): { render(): void } {
  const open = byId("open-report", HTMLInputElement);
  const comparison = byId("comparison", HTMLDivElement);
  const comparisonBody = byId("comparison-table", HTMLTableElement).tBodies[0];
  const loadedHeading = byId("comparison-loaded", HTMLTableCellElement);
  if (!comparisonBody) throw new Error("panel.html: the comparison table lacks a tbody");
  let loaded: { report: Report; name: string } | null = null;

  const render = () => {
    comparison.hidden = loaded === null;
    if (!loaded) return;
    loadedHeading.textContent = `${loaded.name} (${loaded.report.browser.name} ${loaded.report.browser.version})`;
    comparisonBody.replaceChildren(
      ...compareReports(buildReport(lab), loaded.report).map((row) => {
        const tr = document.createElement("tr");
        tr.dataset.differs = String(row.differs);
        tr.append(
          textElement("td", row.section),
          textElement("th", row.label),
          textElement("td", row.left),
          textElement("td", row.right),
        );
        tr.cells[1]?.setAttribute("scope", "row");
        return tr;
      }),
    );
  };

  open.addEventListener("change", () => {
    const file = open.files?.[0];
    // Clear the input so opening the same file again fires "change" again.
    open.value = "";
    if (!file) return;
    if (file.size > MAX_REPORT_BYTES) {
      say(
        `"${file.name}" is ${(file.size / 1e6).toFixed(1)} MB; a report is far smaller, so this is not one. The comparison is unchanged.`,
        "error",
      );
      return;
    }
    file.text().then(
      (text) => {
        const result = parseReport(text, validateReport);
        if (!result.ok) {
          say(`Could not open "${file.name}": ${result.message} The comparison is unchanged.`, "error");
          return;
        }
        loaded = { report: result.report, name: file.name };
        render();
        say(`Opened "${file.name}"; it is shown beside this browser's report below.`);
      },
      (error: unknown) => say(`Could not read "${file.name}": ${errorMessage(error)}`, "error"),
    );
  });
  byId("close-comparison", HTMLButtonElement).addEventListener("click", () => {
    loaded = null;
    render();
  });
  return { render };
}

/**
 * DevTools panels are frames where the async clipboard API is often blocked by permissions policy;
 * fall back to a selection and the copy command, which a click still allows there.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Firefox starts the download after the click returns: revoke later, not now.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
