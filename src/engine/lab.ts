// The Lab is the engine's one front door: the panel's buttons, window.loopbackLab and the command
// line all drive it. It only wires its parts together: connecting (session/connector), the sample
// channel (session/sample-channel), the measurement runs (measure/measurement-runs) and the
// diagnosis (diagnose/diagnoser). The loopback is a watched connection like any other.
import type { Finding } from "../contract/findings";
import { runProbe } from "../page-probe/probe";
import { Emitter } from "./core/emitter";
import { LabError, type LabErrorCode } from "./core/errors";
import type { DiagnosisEvents } from "./diagnose/diagnoser";
import { Diagnoser } from "./diagnose/diagnoser";
import type { DiagnosisLab, DiagnosisOptions, DiagnosisResult } from "./diagnose/diagnosis";
import { IceChecker, type IceCheckOptions, type IceCheckResult } from "./ice/ice-check";
import type { LatencyOptions, LatencyResult } from "./measure/latency";
import { type MeasurementEvents, MeasurementRuns } from "./measure/measurement-runs";
import type { RunKind } from "./measure/run-phase";
import type { ThroughputResult } from "./measure/throughput";
import type { ThroughputOptions } from "./measure/throughput-options";
import { type InspectedPage, PageRecorderControl } from "./page/page-recorder-control";
import { type BatchValidator, type PageConnection, PageRecording } from "./page/page-recording";
import { type IpHandlingSetting, probeWebPage, type WebPageEvidence } from "./page/web-page-probe";
import { type ConnectOptions, Connector, type Phase } from "./session/connector";
import { endReasonWords } from "./session/end-reason";
import type { LoopbackSession, OpenResult } from "./session/loopback-session";
import { type ReceivedMessage, SampleChannel } from "./session/sample-channel";
import type { Timeline } from "./watch/timeline";
import type { Counters } from "./watch/traffic-counters";
import { WatchedConnection } from "./watch/watched-connection";

export interface Notice {
  level: "info" | "error";
  /** A LabError code where there is one. */
  code?: LabErrorCode;
  text: string;
}

export type LabDiagnosis = DiagnosisResult<ThroughputResult, LatencyResult>;

/** The Lab's own events; the loopback's timeline, counters and findings are its watched connection's. */
export interface LabEvents extends MeasurementEvents, DiagnosisEvents<ThroughputResult, LatencyResult> {
  phase: Phase;
  message: ReceivedMessage;
  "messages-cleared": undefined;
  notice: Notice;
}

/** What only the panel can give the Lab: DevTools' inspected page, the recorder's source, its batch validator. */
export interface LabSetup {
  inspectedPage?: InspectedPage | null;
  recorderSource?: string;
  validatePageBatch?: BatchValidator;
  /** The web-page probe's bundled source ("virtual:page-probe"). */
  probeSource?: string;
  /** Reads the browser's WebRTC IP-handling setting, where the person has allowed it. */
  readIpHandling?: () => Promise<IpHandlingSetting>;
}

/** Without the build-time validator nothing from a page is trusted at all. */
const REFUSE_ALL: BatchValidator = Object.assign(() => false, { errors: null });

export class Lab {
  readonly events = new Emitter<LabEvents>();
  /** The panel's own loopback: the watched connection the views show. */
  readonly loopback = new WatchedConnection("loopback", "Loopback");
  private readonly sample = new SampleChannel(this.loopback, (message) =>
    this.events.emit("message", message),
  );
  private readonly connector = new Connector(this.loopback, {
    phase: (phase) => this.events.emit("phase", phase),
    message: (data) => this.sample.receive(data),
    ended: (reason, wasOpen) => {
      if (wasOpen && reason.kind !== "disconnect")
        this.notice({ level: "info", text: `The session ended: ${endReasonWords(reason)}.` });
    },
  });
  private readonly runs = new MeasurementRuns(this.connector, this.events);
  /**
   * The diagnosis works on a loopback of its own, so running it leaves the person's session, its
   * messages and counters as they were. Its runs' live events go to an emitter of their own.
   */
  readonly diagnosisConnection = new WatchedConnection("loopback", "Diagnosis");
  readonly diagnosisRunEvents = new Emitter<MeasurementEvents>();
  /** The ICE-server check: one watched connection per server URL and transport. */
  readonly iceChecker = new IceChecker();
  private readonly diagnoser: Diagnoser<ThroughputResult, LatencyResult>;

  /** The inspected page's own connections (engine/page), recorded from a reload on. */
  readonly pageRecording: PageRecording;
  readonly pageRecorder: PageRecorderControl;

  constructor(setup: LabSetup = {}) {
    const page = setup.inspectedPage ?? null;
    const probeSource = setup.probeSource;
    const webPage =
      page && probeSource
        ? () =>
            probeWebPage({
              page,
              source: probeSource,
              runHere: () => runProbe(),
              readIpHandling:
                setup.readIpHandling ?? (() => Promise.resolve({ unread: "no privacy API here" })),
            })
        : undefined;
    this.diagnoser = new Diagnoser<ThroughputResult, LatencyResult>(
      diagnosisLab(this.diagnosisConnection, this.diagnosisRunEvents, webPage),
      this.events,
    );
    this.pageRecording = new PageRecording(setup.validatePageBatch ?? REFUSE_ALL);
    this.pageRecorder = new PageRecorderControl(
      this.pageRecording,
      setup.inspectedPage ?? null,
      setup.recorderSource ?? "",
    );
  }

  get phase(): Phase {
    return this.connector.phase;
  }

  /** Reloads the inspected page with the recorder; resolves once it has loaded. */
  recordPage(): Promise<{ origin: string }> {
    return this.pageRecorder.record();
  }

  get pageConnections(): readonly PageConnection[] {
    return this.pageRecording.connections;
  }

  get timeline(): Timeline {
    return this.loopback.timeline;
  }

  get findings(): Finding[] {
    return this.loopback.findings;
  }

  get messages() {
    return this.sample.messages;
  }

  get openSession(): LoopbackSession | null {
    return this.connector.openSession;
  }

  get connection(): OpenResult | null {
    return this.connector.connection;
  }

  get lastThroughput(): ThroughputResult | null {
    return this.runs.lastThroughput;
  }

  get lastLatency(): LatencyResult | null {
    return this.runs.lastLatency;
  }

  get runningRun(): RunKind | null {
    return this.runs.running;
  }

  get lastDiagnosis(): LabDiagnosis | null {
    return this.diagnoser.lastResult;
  }

  get isDiagnosing(): boolean {
    return this.diagnoser.isRunning;
  }

  connect(options?: ConnectOptions): Promise<OpenResult> {
    return this.connector.connect(options);
  }

  async disconnect(): Promise<void> {
    this.connector.disconnect();
  }

  /** Sends text on the sample channel; refused input rejects with a LabError and nothing is sent. */
  async send(text: string): Promise<{ bytes: number }> {
    return this.sample.send(this.connector.openSession, text);
  }

  /** Empties the received-message log (the counters keep counting: they describe the session). */
  clearMessages(): void {
    this.sample.messages.clear();
    this.events.emit("messages-cleared", undefined);
  }

  receivedMessages(): { messages: ReceivedMessage[]; dropped: number } {
    return { messages: this.sample.messages.toArray(), dropped: this.sample.messages.dropped };
  }

  currentCounters(): Counters {
    return this.loopback.counters();
  }

  async runThroughput(options?: ThroughputOptions): Promise<ThroughputResult> {
    this.refuseWhileDiagnosing();
    return this.runs.throughput(options);
  }

  async runLatency(options?: LatencyOptions): Promise<LatencyResult> {
    this.refuseWhileDiagnosing();
    return this.runs.latency(options);
  }

  async stopRun(): Promise<void> {
    this.runs.stop();
  }

  /** Runs every check in order (diagnose/diagnosis.ts); while one runs, returns that one. */
  async runDiagnosis(options?: DiagnosisOptions): Promise<LabDiagnosis> {
    // Measuring two things at once would measure neither honestly.
    const running = this.runs.running;
    if (running && !this.diagnoser.isRunning)
      throw new LabError("busy", `A ${running} run is going on; stop it before running the diagnosis.`);
    if (this.iceChecker.isRunning)
      throw new LabError(
        "busy",
        "The ICE-server check is running; wait for it to finish, then run the diagnosis.",
      );
    return this.diagnoser.run(options);
  }

  private refuseWhileDiagnosing(): void {
    if (this.iceChecker.isRunning)
      throw new LabError(
        "busy",
        "The ICE-server check is running; wait for it to finish, then run this again.",
      );
    if (this.diagnoser.isRunning)
      throw new LabError("busy", "The diagnosis is running; wait for it to finish, then run this again.");
  }

  /** Checks the person's STUN and TURN servers (engine/ice); not while a run or the diagnosis goes on. */
  async runIceCheck(options: IceCheckOptions): Promise<IceCheckResult> {
    this.refuseWhileDiagnosing();
    const running = this.runs.running;
    if (running)
      throw new LabError("busy", `A ${running} run is going on; stop it before checking ICE servers.`);
    return this.iceChecker.run(options);
  }

  get lastIceCheck(): IceCheckResult | null {
    return this.iceChecker.lastResult;
  }

  /** Reports a refused action to the views without throwing at whoever clicked. */
  notice(notice: Notice): void {
    this.events.emit("notice", notice);
  }
}

/** The diagnosis's own loopback: a connector and runs of its own, closed again once it has finished. */
function diagnosisLab(
  watched: WatchedConnection,
  events: Emitter<MeasurementEvents>,
  probeWebPage: (() => Promise<WebPageEvidence>) | undefined,
): DiagnosisLab<ThroughputResult, LatencyResult> {
  const connector = new Connector(watched, {
    phase: () => undefined,
    message: () => undefined,
    ended: () => undefined,
  });
  const runs = new MeasurementRuns(connector, events);
  return {
    get phase() {
      return connector.phase;
    },
    get openSession() {
      return connector.openSession;
    },
    timeline: watched.timeline,
    get findings() {
      return watched.findings;
    },
    connect: (options) => connector.connect(options),
    disconnect: async () => connector.disconnect(),
    runThroughput: (options) => runs.throughput(options),
    runLatency: (options) => runs.latency(options),
    ...(probeWebPage ? { probeWebPage } : {}),
  };
}
