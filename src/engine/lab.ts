// The Lab is the engine's one front door: the panel's buttons, the automation API on
// window.loopbackLab, and the command-line tools all drive it, and everyone watches its events.

import type { Finding } from "../contract/findings";
import { BoundedList } from "./core/bounded-list";
import { Emitter } from "./core/emitter";
import { abortable, LabError } from "./core/errors";
import {
  createPeerPair,
  createPeerPairPatiently,
  hasPeerConnection,
  SEND_QUEUE_LIMIT,
  timerResolutionMs,
} from "./core/platform";
import { byteLengthOf, type Rate, RateWindow } from "./core/rates";
import {
  type DiagnosisOptions,
  type DiagnosisProgress,
  type DiagnosisResult,
  runDiagnosis,
} from "./diagnose/diagnosis";
import {
  checkLatencyOptions,
  type LatencyEvent,
  type LatencyOptions,
  type LatencyResult,
  runLatencyTest,
} from "./measure/latency";
import type { TestKind } from "./measure/run-phase";
import {
  emptyResult,
  runThroughputTest,
  type ThroughputEvent,
  type ThroughputResult,
} from "./measure/throughput";
import {
  checkThroughputOptions,
  resolveThroughputSettings,
  type ThroughputOptions,
} from "./measure/throughput-options";
import { LoopbackSession, type OpenResult } from "./session/loopback-session";
import { Timeline, type TimelineEntry } from "./watch/timeline";

export type Phase = "idle" | "connecting" | "open";

export interface ConnectOptions {
  /** How long to wait for the channel to open before diagnosing where it stopped. Default 10 000 ms. */
  timeoutMs?: number;
}

export interface ReceivedMessage {
  t: number;
  /** The text as received; binary messages are summarised, never decoded. */
  text: string;
  bytes: number;
  binary: boolean;
}

export interface Counters {
  sentMessages: number;
  sentBytes: number;
  receivedMessages: number;
  receivedBytes: number;
  sendRate: Rate;
  receiveRate: Rate;
}

export interface Notice {
  level: "info" | "error";
  /** A LabError code where there is one. */
  code?: string;
  text: string;
}

export type LabEvent =
  | { type: "phase"; phase: Phase }
  | { type: "timeline-reset" }
  | { type: "timeline"; entry: TimelineEntry }
  | { type: "message"; message: ReceivedMessage }
  | { type: "counters"; counters: Counters }
  | { type: "findings"; findings: Finding[] }
  | { type: "notice"; notice: Notice }
  | { type: "diagnosis-progress"; progress: DiagnosisProgress }
  | { type: "diagnosis"; result: LabDiagnosis }
  | ThroughputEvent
  | LatencyEvent;

export type LabDiagnosis = DiagnosisResult<ThroughputResult, LatencyResult>;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MESSAGE_LOG_LIMIT = 500;
const COUNTER_INTERVAL_MS = 250;

export class Lab {
  readonly events = new Emitter<LabEvent>();
  readonly timeline = new Timeline(() => performance.now());
  readonly messages = new BoundedList<ReceivedMessage>(MESSAGE_LOG_LIMIT);
  private session: LoopbackSession | null = null;
  private opening: Promise<OpenResult> | null = null;
  private pendingAttempt: { cancelled: boolean } | null = null;
  private currentPhase: Phase = "idle";
  private findingList: Finding[] = [];
  private lastOpen: OpenResult | null = null;
  private counters = emptyCounters();
  private readonly sendRate = new RateWindow();
  private readonly receiveRate = new RateWindow();
  private counterTimer: ReturnType<typeof setInterval> | undefined;
  private diagnosing: Promise<LabDiagnosis> | null = null;
  private diagnosisResult: LabDiagnosis | null = null;
  private activeTest: { kind: TestKind; stop: AbortController } | null = null;
  private testCount = 0;
  private throughputResult: ThroughputResult | null = null;
  private latencyResult: LatencyResult | null = null;

  get phase(): Phase {
    return this.currentPhase;
  }

  get findings(): Finding[] {
    return this.findingList.slice();
  }

  get openSession(): LoopbackSession | null {
    return this.currentPhase === "open" ? this.session : null;
  }

  get connection(): OpenResult | null {
    return this.lastOpen;
  }

  /** The latest throughput result (complete or cancelled); null until a run has ended. */
  get lastThroughput(): ThroughputResult | null {
    return this.throughputResult;
  }

  get lastLatency(): LatencyResult | null {
    return this.latencyResult;
  }

  /** Which test is running, if any. */
  get runningTest(): TestKind | null {
    return this.activeTest?.kind ?? null;
  }

  /**
   * Measures throughput on a channel of its own, connecting first if need be. Resolves with the
   * result, marked cancelled if Stop or Disconnect ended it; rejects only for bad options
   * ("invalid-option"), another test running ("busy") or a failed connect.
   */
  runThroughput(options?: ThroughputOptions): Promise<ThroughputResult> {
    return this.runTest(
      "throughput",
      () => checkThroughputOptions(options),
      async (checked, session, stop) => {
        const settings = resolveThroughputSettings(checked, session.maxMessageSize);
        const result = await runThroughputTest(session, settings, {
          signal: stop,
          emit: (event) => this.events.emit(event),
          label: `throughput-${++this.testCount}`,
        });
        this.throughputResult = result;
        return result;
      },
      (checked, reason) => {
        // No connection, so no maximum to clamp to yet: the settings show what was asked for.
        const result = emptyResult(resolveThroughputSettings(checked, Number.MAX_SAFE_INTEGER), reason);
        this.throughputResult = result;
        this.events.emit({ type: "throughput-result", result });
        return result;
      },
    );
  }

  /** Measures round trips on a channel of its own; the same rules as runThroughput. */
  runLatency(options?: LatencyOptions): Promise<LatencyResult> {
    return this.runTest(
      "latency",
      () => checkLatencyOptions(options),
      async (checked, session, stop) => {
        const result = await runLatencyTest(session, checked, {
          signal: stop,
          emit: (event) => this.events.emit(event),
          label: `latency-${++this.testCount}`,
        });
        this.latencyResult = result;
        return result;
      },
      (checked, reason) => {
        const result = emptyLatencyResult(checked.samples, reason);
        this.latencyResult = result;
        this.events.emit({ type: "latency-result", result });
        return result;
      },
    );
  }

  /** Ends the running test promptly; its promise resolves with a partial result marked cancelled. */
  async stopTest(): Promise<void> {
    this.activeTest?.stop.abort(new LabError("cancelled", "Stopped."));
  }

  /**
   * One test at a time: checks the options, connects if idle (Stop cancels the wait), runs the
   * test. `cancelledEarly` makes the result of a test stopped before it could start.
   */
  private async runTest<O, R>(
    kind: TestKind,
    check: () => O,
    run: (options: O, session: LoopbackSession, stop: AbortSignal) => Promise<R>,
    cancelledEarly: (options: O, reason: string) => R,
  ): Promise<R> {
    if (this.activeTest) {
      throw new LabError(
        "busy",
        `A ${this.activeTest.kind} test is already running; stop it first (Stop, or stopTest()).`,
      );
    }
    const options = check();
    const stop = new AbortController();
    const test = { kind, stop };
    this.activeTest = test;
    this.events.emit({ type: "test-phase", test: kind, phase: "starting" });
    try {
      if (!this.openSession) {
        try {
          await abortable(this.connect(), stop.signal);
        } catch (error) {
          if (stop.signal.aborted) return cancelledEarly(options, "stopped before the connection opened");
          if (error instanceof LabError && error.code === "cancelled") {
            return cancelledEarly(options, "disconnected before the connection opened");
          }
          throw error;
        }
      }
      const session = this.openSession;
      if (!session) return cancelledEarly(options, "the session ended before the test started");
      return await run(options, session, stop.signal);
    } finally {
      this.activeTest = null;
      this.events.emit({ type: "test-phase", test: kind, phase: "finished" });
    }
  }

  /** The latest completed diagnosis; the report is built from it. */
  get lastDiagnosis(): LabDiagnosis | null {
    return this.diagnosisResult;
  }

  get isDiagnosing(): boolean {
    return this.diagnosing !== null;
  }

  /**
   * Runs every check in order (src/engine/diagnosis.ts), announcing each step as a
   * "diagnosis-progress" event. While one runs, returns that one: never two at once.
   */
  runDiagnosis(options: DiagnosisOptions = {}): Promise<LabDiagnosis> {
    if (this.diagnosing) return this.diagnosing;
    const running = runDiagnosis(
      this,
      (progress) => this.events.emit({ type: "diagnosis-progress", progress }),
      options,
    ).then(
      (result) => {
        this.diagnosing = null;
        this.diagnosisResult = result;
        this.events.emit({ type: "diagnosis", result });
        return result;
      },
      (error: unknown) => {
        this.diagnosing = null;
        throw error;
      },
    );
    this.diagnosing = running;
    return running;
  }

  /**
   * Opens the loopback session. While one is opening or open, returns that session's promise:
   * never a second session, never an error for asking twice.
   */
  connect(options: ConnectOptions = {}): Promise<OpenResult> {
    if (this.opening) return this.opening;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      return Promise.reject(
        new LabError(
          "invalid-option",
          `timeoutMs must be a positive number of milliseconds, not ${String(timeoutMs)}.`,
        ),
      );
    }
    this.timeline.reset();
    this.events.emit({ type: "timeline-reset" });
    this.messages.clear();
    this.setFindings([]);
    this.counters = emptyCounters();
    this.lastOpen = null;

    if (!hasPeerConnection()) {
      return this.failBeforeStart({
        level: "fail",
        code: "no-rtcpeerconnection",
        message: "This browser has no RTCPeerConnection, so WebRTC is not available here at all.",
        hint: "WebRTC may be disabled by a browser setting, an enterprise policy or an extension (media.peerconnection.enabled in Firefox).",
      });
    }
    this.events.emit({
      type: "timeline",
      entry: this.timeline.step("session", "step", "connect", { timeoutMs }),
    });
    const attempt = { cancelled: false };
    this.pendingAttempt = attempt;
    this.setPhase("connecting");
    let peers: [RTCPeerConnection, RTCPeerConnection] | null = null;
    try {
      // Synchronously when the browser allows it, so the session exists the moment connect() returns.
      peers = createPeerPair();
    } catch {
      peers = null;
    }
    this.opening = this.startSession(timeoutMs, attempt, peers);
    return this.opening;
  }

  private async startSession(
    timeoutMs: number,
    attempt: { cancelled: boolean },
    created: [RTCPeerConnection, RTCPeerConnection] | null,
  ): Promise<OpenResult> {
    let peers: [RTCPeerConnection, RTCPeerConnection];
    try {
      peers =
        created ??
        (await createPeerPairPatiently((n) => {
          const entry = this.timeline.step(
            "session",
            "step",
            "peer connection refused; freeing closed ones",
            { attempt: n },
          );
          this.events.emit({ type: "timeline", entry });
        }));
    } catch (error) {
      this.opening = null;
      this.setPhase("idle");
      return this.failBeforeStart({
        level: "fail",
        code: "peer-connection-refused",
        message: `The browser refused to create a peer connection: ${error instanceof Error ? error.message : String(error)}`,
        hint: "Chrome refuses new peer connections when a page holds too many; close other WebRTC pages or reload DevTools.",
      });
    }
    if (attempt.cancelled) {
      for (const pc of peers) pc.close();
      this.opening = null;
      this.events.emit({
        type: "timeline",
        entry: this.timeline.step("session", "step", "closed", { reason: "disconnect" }),
      });
      this.setPhase("idle");
      throw new LabError("cancelled", "Disconnected before the data channel opened.");
    }
    const session: LoopbackSession = new LoopbackSession(
      this.timeline,
      this.hooksFor(() => session),
      timeoutMs,
      peers,
    );
    this.session = session;
    try {
      const result = await session.open();
      this.lastOpen = result;
      this.setFindings([
        {
          level: "pass",
          code: "channel-open",
          message: `A data channel opened between two local peers in ${result.timeToOpenMs.toFixed(1)} ms.`,
        },
      ]);
      this.setPhase("open");
      this.startCounters();
      return result;
    } catch (error) {
      if (error instanceof LabError && error.finding) this.setFindings([error.finding]);
      session.close(
        error instanceof LabError && error.finding ? `failed: ${error.finding.code}` : "connect failed",
      );
      throw error;
    }
  }

  /** Ends the session at any moment; every pending call settles promptly. */
  async disconnect(): Promise<void> {
    if (this.pendingAttempt) this.pendingAttempt.cancelled = true;
    this.session?.close("disconnect");
  }

  /** Sends text on the sample channel; refused input rejects with a LabError and nothing is sent. */
  async send(text: string): Promise<{ bytes: number }> {
    const session = this.openSession;
    if (!session) throw new LabError("not-open", "Connect first: there is no open data channel to send on.");
    if (typeof text !== "string") throw new LabError("not-text", `send() takes text, not ${typeof text}.`);
    if (text.length === 0) throw new LabError("empty-message", "Nothing to send: the message is empty.");
    const limit = session.maxMessageSize;
    // Every UTF-16 unit is at least one UTF-8 byte, so an over-long string needs no counting.
    const bytes = text.length > limit ? text.length : byteLengthOf(text);
    if (bytes > limit) {
      throw new LabError(
        "too-large",
        `The message is ${text.length > limit ? "at least " : ""}${bytes.toLocaleString("en")} bytes; this connection accepts at most ${limit.toLocaleString("en")} bytes per message (maxMessageSize of the SCTP transport). Nothing was sent.`,
      );
    }
    if (session.sendChannel.bufferedAmount + bytes > SEND_QUEUE_LIMIT) {
      throw new LabError(
        "queue-full",
        "The send queue is full; wait for queued messages to go out. Nothing was sent.",
      );
    }
    session.sendChannel.send(text);
    this.counters.sentMessages++;
    this.counters.sentBytes += bytes;
    return { bytes };
  }

  /** Reports a refused action to the view without throwing at whoever clicked. */
  notice(notice: Notice): void {
    this.events.emit({ type: "notice", notice });
  }

  receivedMessages(): { messages: ReceivedMessage[]; dropped: number } {
    return { messages: this.messages.toArray(), dropped: this.messages.dropped };
  }

  currentCounters(): Counters {
    return { ...this.counters };
  }

  private hooksFor(current: () => LoopbackSession) {
    return {
      entry: (entry: TimelineEntry) => this.events.emit({ type: "timeline", entry }),
      message: (data: string | ArrayBuffer | Blob) => this.onMessage(data),
      ended: (reason: string) => {
        if (this.session !== current()) return;
        const wasOpen = this.currentPhase === "open";
        this.session = null;
        this.opening = null;
        this.stopCounters();
        this.setPhase("idle");
        if (wasOpen && reason !== "disconnect")
          this.notice({ level: "info", text: `The session ended: ${reason}.` });
      },
    };
  }

  private onMessage(data: string | ArrayBuffer | Blob): void {
    const bytes = byteLengthOf(data);
    const binary = typeof data !== "string";
    const message: ReceivedMessage = {
      t: this.timeline.elapsed(),
      text: binary ? `[binary message, ${bytes} bytes]` : data,
      bytes,
      binary,
    };
    this.counters.receivedMessages++;
    this.counters.receivedBytes += bytes;
    this.messages.push(message);
    this.events.emit({ type: "message", message });
  }

  private failBeforeStart(finding: Finding): Promise<never> {
    this.events.emit({
      type: "timeline",
      entry: this.timeline.step("session", "finding", finding.code, { message: finding.message }),
    });
    this.setFindings([finding]);
    return Promise.reject(new LabError("connect-failed", finding.message, finding));
  }

  private setPhase(phase: Phase): void {
    if (this.currentPhase === phase) return;
    this.currentPhase = phase;
    this.events.emit({ type: "phase", phase });
  }

  private setFindings(findings: Finding[]): void {
    this.findingList = findings;
    this.events.emit({ type: "findings", findings: this.findings });
  }

  private startCounters(): void {
    this.sendRate.reset();
    this.receiveRate.reset();
    const tick = () => {
      const t = performance.now();
      const c = this.counters;
      c.sendRate = this.sendRate.add({ t, messages: c.sentMessages, bytes: c.sentBytes });
      c.receiveRate = this.receiveRate.add({ t, messages: c.receivedMessages, bytes: c.receivedBytes });
      this.events.emit({ type: "counters", counters: this.currentCounters() });
    };
    tick();
    this.counterTimer = setInterval(tick, COUNTER_INTERVAL_MS);
  }

  private stopCounters(): void {
    this.events.emit({ type: "counters", counters: this.currentCounters() });
    clearInterval(this.counterTimer);
    this.counterTimer = undefined;
  }
}

function emptyCounters(): Counters {
  const zero = { messagesPerSecond: 0, bytesPerSecond: 0 };
  return {
    sentMessages: 0,
    sentBytes: 0,
    receivedMessages: 0,
    receivedBytes: 0,
    sendRate: zero,
    receiveRate: { ...zero },
  };
}

function emptyLatencyResult(requestedSamples: number, cancelReason: string): LatencyResult {
  return {
    samples: 0,
    requestedSamples,
    p50Ms: Number.NaN,
    p95Ms: Number.NaN,
    p99Ms: Number.NaN,
    maxMs: Number.NaN,
    minMs: Number.NaN,
    meanMs: Number.NaN,
    // The clock is known even when no round trip was timed.
    resolutionMs: timerResolutionMs(),
    warmup: 0,
    cancelled: true,
    cancelReason,
  };
}
