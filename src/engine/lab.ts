// The Lab is the engine's composition root: it builds the parts and hands them out. The panel's
// buttons, window.loopbackLab and the command line (through it) drive the parts; views subscribe
// to the parts' own events. The jobs (runs, diagnosis, ICE-server check) share one gate: one at a time.
import { runProbe } from "../page-probe/probe";
import { LabError } from "./core/errors";
import { JobGate, type StoppableJob } from "./core/job";
import { Diagnoser } from "./diagnose/diagnoser";
import { DumpWatch } from "./dump/dump-watch";
import type { DumpContents } from "./dump/internals-dump";
import { IceChecker } from "./ice/ice-check";
import { MeasurementRuns } from "./measure/measurement-runs";
import type { InspectedPage } from "./page/page-recorder-control";
import type { BatchValidator } from "./page/page-recording";
import { PageWatch } from "./page/page-watch";
import { type IpHandlingSetting, probeWebPage } from "./page/web-page-probe";
import { Loopback } from "./session/loopback";

/** What only the panel can give the Lab: DevTools' inspected page, the recorder's source, its batch validator. */
export interface LabSetup {
  inspectedPage?: InspectedPage | null;
  recorderSource?: string;
  validatePageBatch?: BatchValidator;
  /** The web-page probe's bundled source ("virtual:page-probe"). */
  probeSource?: string;
  /** Reads the browser's WebRTC IP-handling setting, where the person has allowed it. */
  readIpHandling?: () => Promise<IpHandlingSetting>;
  /** Reads a dump file's bytes (the panel's worker). */
  readDump?: (bytes: Uint8Array) => Promise<DumpContents>;
}

/** Without the build-time validator nothing from a page is trusted at all. */
const REFUSE_ALL: BatchValidator = Object.assign(() => false, { errors: null });

export class Lab {
  /** The person's loopback session: Connect, Send, the Received log. */
  readonly session = new Loopback();
  private readonly gate = new JobGate();
  /** Throughput and latency runs on the person's session. */
  readonly runs = new MeasurementRuns(this.session.connector, this.gate);
  /** The diagnosis, on a loopback of its own. */
  readonly diagnosis: Diagnoser;
  /** The ICE-server check: one watched connection per server URL and transport. */
  readonly ice = new IceChecker(this.gate);
  /** The inspected page's own connections, recorded from a reload on. */
  readonly page: PageWatch;
  /** A dump someone sent (chrome://webrtc-internals), read into the same evidence as the page's. */
  readonly dump: DumpWatch;
  /** Where this panel runs: in DevTools (an inspected page to reach), or as a page in a tab. */
  readonly openedIn: "devtools" | "tab";

  constructor(setup: LabSetup = {}) {
    const inspected = setup.inspectedPage ?? null;
    this.openedIn = inspected ? "devtools" : "tab";
    const probeSource = setup.probeSource;
    const webPage =
      inspected && probeSource
        ? () =>
            probeWebPage({
              page: inspected,
              source: probeSource,
              runHere: () => runProbe(),
              readIpHandling:
                setup.readIpHandling ?? (() => Promise.resolve({ unread: "no-setting" as const })),
            })
        : undefined;
    this.diagnosis = new Diagnoser(this.gate, webPage);
    this.page = new PageWatch({
      inspectedPage: inspected,
      recorderSource: setup.recorderSource ?? "",
      validatePageBatch: setup.validatePageBatch ?? REFUSE_ALL,
    });
    this.dump = new DumpWatch(
      setup.readDump ??
        (() => Promise.reject(new LabError("invalid-option", "This panel cannot read dumps."))),
    );
  }

  /** The jobs Stop ends: the runs, the diagnosis, the ICE-server check. */
  get stoppable(): readonly StoppableJob[] {
    return [this.runs.throughput, this.runs.latency, this.diagnosis.job, this.ice.job];
  }

  /** Stop: ends whichever job is going on. */
  stop(): void {
    for (const job of this.stoppable) job.cancel();
  }
}
