// window.loopbackLab: the panel's implementation of the automation contract (src/contract/automation.ts).
// It is the same Lab the buttons drive, nothing else.
import type { LoopbackLabApi } from "../contract/automation";
import type { DiagnosisProgress } from "../engine/diagnose/diagnosis";
import type { Lab } from "../engine/lab";
import { learnFullVersion } from "../report/browser-identity";
import { buildReport } from "../report/report";

export function exposeAutomationApi(lab: Lab): LoopbackLabApi {
  let progress: DiagnosisProgress[] = [];
  lab.events.on("diagnosis-progress", (step) => {
    if (step.index === 1 && step.status === "running") progress = [];
    progress.push(step);
  });
  const api: LoopbackLabApi = {
    connect: (options) => lab.connect(options),
    disconnect: () => lab.disconnect(),
    send: (text) => lab.send(text),
    report: () => buildReport(lab),
    runDiagnosis: async (options) => {
      await Promise.all([lab.runDiagnosis(options), learnFullVersion()]);
      return buildReport(lab);
    },
    diagnosisProgress: () => progress.slice(),
    runThroughput: (options) => lab.runThroughput(options),
    runLatency: (options) => lab.runLatency(options),
    stopRun: () => lab.stopRun(),
    runIceCheck: (options) => lab.runIceCheck(options),
    recordPage: () => lab.recordPage(),
    pageConnections: () =>
      lab.pageConnections.map((c) => ({
        id: c.id,
        frameUrl: c.frameUrl,
        timeline: c.watched.timeline.list(),
        channels: c.channels,
        findings: c.watched.findings,
      })),
  };
  Object.defineProperty(window, "loopbackLab", { value: Object.freeze(api), enumerable: true });
  return api;
}
