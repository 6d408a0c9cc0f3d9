// The Lab is the engine's one front door: the panel's buttons, the automation API on
// window.loopbackLab, and the command-line tools all drive it, and everyone watches its events.
import { BoundedList } from "./bounded-list";
import { Emitter } from "./emitter";
import { LabError } from "./errors";
import type { Finding } from "./findings";
import { hasPeerConnection, SEND_QUEUE_LIMIT } from "./platform";
import { byteLengthOf, type Rate, RateWindow } from "./rates";
import { LoopbackSession, type OpenResult } from "./session";
import { Timeline, type TimelineEntry } from "./timeline";

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
  | { type: "notice"; notice: Notice };

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MESSAGE_LOG_LIMIT = 500;
const COUNTER_INTERVAL_MS = 250;

export class Lab {
  readonly events = new Emitter<LabEvent>();
  readonly timeline = new Timeline(() => performance.now());
  readonly messages = new BoundedList<ReceivedMessage>(MESSAGE_LOG_LIMIT);
  private session: LoopbackSession | null = null;
  private opening: Promise<OpenResult> | null = null;
  private currentPhase: Phase = "idle";
  private findingList: Finding[] = [];
  private lastOpen: OpenResult | null = null;
  private counters = emptyCounters();
  private readonly sendRate = new RateWindow();
  private readonly receiveRate = new RateWindow();
  private counterTimer: ReturnType<typeof setInterval> | undefined;

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

  /**
   * Opens the loopback session. While one is opening or open, returns that session's promise:
   * never a second session, never an error for asking twice.
   */
  connect(options: ConnectOptions = {}): Promise<OpenResult> {
    if (this.opening) return this.opening;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      return Promise.reject(new LabError("invalid-option", `timeoutMs must be a positive number of milliseconds, not ${String(timeoutMs)}.`));
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
    let session: LoopbackSession;
    try {
      session = new LoopbackSession(this.timeline, this.hooksFor(() => session), timeoutMs);
    } catch (error) {
      return this.failBeforeStart({
        level: "fail",
        code: "peer-connection-refused",
        message: `The browser refused to create a peer connection: ${error instanceof Error ? error.message : String(error)}`,
        hint: "Chrome refuses new peer connections when a page holds too many; close other WebRTC pages or reload DevTools.",
      });
    }
    this.session = session;
    this.setPhase("connecting");
    this.opening = session.open().then(
      (result) => {
        this.lastOpen = result;
        this.setFindings([
          { level: "pass", code: "channel-open", message: `A data channel opened between two local peers in ${result.timeToOpenMs.toFixed(1)} ms.` },
        ]);
        this.setPhase("open");
        this.startCounters();
        return result;
      },
      (error: unknown) => {
        if (error instanceof LabError && error.finding) this.setFindings([error.finding]);
        session.close(error instanceof LabError && error.finding ? `failed: ${error.finding.code}` : "connect failed");
        throw error;
      },
    );
    return this.opening;
  }

  /** Ends the session at any moment; every pending call settles promptly. */
  async disconnect(): Promise<void> {
    this.session?.close("disconnect");
  }

  /** Sends text on the sample channel; refused input rejects with a LabError and nothing is sent. */
  async send(text: string): Promise<{ bytes: number }> {
    const session = this.openSession;
    if (!session) throw new LabError("not-open", "Connect first: there is no open data channel to send on.");
    if (typeof text !== "string") throw new LabError("not-text", `send() takes text, not ${typeof text}.`);
    if (text.length === 0) throw new LabError("empty-message", "Nothing to send: the message is empty.");
    const bytes = byteLengthOf(text);
    const limit = session.maxMessageSize;
    if (bytes > limit) {
      throw new LabError(
        "too-large",
        `The message is ${bytes.toLocaleString("en")} bytes; this connection accepts at most ${limit.toLocaleString("en")} bytes per message (maxMessageSize of the SCTP transport). Nothing was sent.`,
      );
    }
    if (session.sendChannel.bufferedAmount + bytes > SEND_QUEUE_LIMIT) {
      throw new LabError("queue-full", "The send queue is full; wait for queued messages to go out. Nothing was sent.");
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
        if (wasOpen && reason !== "disconnect") this.notice({ level: "info", text: `The session ended: ${reason}.` });
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
    this.events.emit({ type: "timeline", entry: this.timeline.step("session", "finding", finding.code, { message: finding.message }) });
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
  return { sentMessages: 0, sentBytes: 0, receivedMessages: 0, receivedBytes: 0, sendRate: zero, receiveRate: { ...zero } };
}
