// window.loopbackLab: the panel's implementation of the automation contract (src/contract/automation.ts).
// It drives the same Lab parts the buttons drive, nothing else.
import type { LoopbackLabApi, PageConnectionInfo } from "../contract/automation";
import type { Lab } from "../engine/lab";
import type { PageConnection } from "../engine/page/page-recording";
import { learnFullVersion } from "../report/browser-identity";
import { buildReport } from "../report/report";

function connectionInfo(c: PageConnection): PageConnectionInfo {
  return {
    id: c.id,
    frameUrl: c.frameUrl,
    timeline: c.watched.timeline.list(),
    channels: c.channels,
    findings: c.watched.findings,
    stats: c.stats,
  };
}

function base64Bytes(base64: string): Uint8Array {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function exposeAutomationApi(lab: Lab): LoopbackLabApi {
  const api: LoopbackLabApi = {
    connect: (options) => lab.session.connect(options),
    disconnect: () => lab.session.disconnect(),
    send: (text) => lab.session.send(text),
    report: (options) => buildReport(lab, options),
    runDiagnosis: async (options) => {
      await Promise.all([lab.diagnosis.run(options), learnFullVersion()]);
      return buildReport(lab);
    },
    diagnosisProgress: () => lab.diagnosis.progressSoFar(),
    runThroughput: (options) => lab.runs.throughput.run(options),
    runLatency: (options) => lab.runs.latency.run(options),
    stopRun: async () => lab.runs.stop(),
    runIceCheck: (options) => lab.ice.job.run(options),
    recordPage: () => lab.page.job.run(undefined),
    pageConnections: () => lab.page.connections.map(connectionInfo),
    openDump: async (file) => {
      const opened = await lab.dump.job.run({ name: file.name, bytes: base64Bytes(file.base64) });
      return {
        fileName: opened.fileName,
        source: opened.source,
        notes: opened.notes,
        connections: opened.connections.map((c) => ({ ...connectionInfo(c), key: c.key })),
      };
    },
  };
  Object.defineProperty(window, "loopbackLab", { value: Object.freeze(api), enumerable: true });
  return api;
}
