// Connecting: opens the loopback session onto its watched connection, tracks the phase (idle,
// connecting, open) and ends the session. Never two sessions at once, never an error for asking twice.
import { type Finding, finding } from "../../contract/findings";
import { errorMessage, LabError } from "../core/errors";
import { createPeerPair, createPeerPairPatiently, hasPeerConnection } from "../core/platform";
import type { WatchedConnection } from "../watch/watched-connection";
import type { EndReason } from "./end-reason";
import { LoopbackSession, type OpenResult } from "./loopback-session";

export type Phase = "idle" | "connecting" | "open";

export interface ConnectOptions {
  /** How long to wait for the channel to open before diagnosing where it stopped. Default 10 000 ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export interface ConnectorHooks {
  phase(phase: Phase): void;
  /** A message arrived on the sample channel's receiving end. */
  message(data: string | ArrayBuffer | Blob): void;
  /** The session ended; `wasOpen` tells a lost session from an attempt that failed. */
  ended(reason: EndReason, wasOpen: boolean): void;
}

/** How a connector builds its peers: the panel's loopback uses the defaults; ICE-server checks do not. */
export interface ConnectorSetup {
  /** Given to both peers (an ICE-server check: one server, relay only). */
  configuration?: RTCConfiguration;
  /** Record onto the watched connection's current recording instead of starting a new one. */
  appendToRecording?: boolean;
}

export class Connector {
  private session: LoopbackSession | null = null;
  private opening: Promise<OpenResult> | null = null;
  private pendingAttempt: { cancelled: boolean } | null = null;
  private currentPhase: Phase = "idle";
  private lastOpen: OpenResult | null = null;

  constructor(
    readonly watched: WatchedConnection,
    private readonly hooks: ConnectorHooks,
    private readonly setup: ConnectorSetup = {},
  ) {}

  get phase(): Phase {
    return this.currentPhase;
  }

  get openSession(): LoopbackSession | null {
    return this.currentPhase === "open" ? this.session : null;
  }

  /** The last session that opened: its time to open and SCTP limits. */
  get connection(): OpenResult | null {
    return this.lastOpen;
  }

  /** Opens the loopback session; while one is opening or open, returns that session's promise. */
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
    if (!(this.setup.appendToRecording && this.watched.live)) this.watched.begin();
    this.lastOpen = null;
    if (!hasPeerConnection()) return this.failBeforeStart(finding("no-rtcpeerconnection"));
    this.watched.step("session", "connect", { timeoutMs });
    const attempt = { cancelled: false };
    this.pendingAttempt = attempt;
    this.setPhase("connecting");
    let peers: [RTCPeerConnection, RTCPeerConnection] | null = null;
    try {
      // Synchronously when the browser allows it, so the session exists the moment connect() returns.
      peers = createPeerPair(this.setup.configuration);
    } catch {
      peers = null;
    }
    this.opening = this.startSession(timeoutMs, attempt, peers);
    return this.opening;
  }

  /** Ends the session at any moment; every pending call settles promptly. */
  disconnect(): void {
    if (this.pendingAttempt) this.pendingAttempt.cancelled = true;
    this.session?.close({ kind: "disconnect" });
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
        (await createPeerPairPatiently(
          (n) =>
            this.watched.step("session", "peer-connection-refused", {
              attempt: n,
            }),
          this.setup.configuration,
        ));
    } catch (error) {
      this.opening = null;
      this.setPhase("idle");
      return this.failBeforeStart(
        finding(
          "peer-connection-refused",
          `The browser refused to create a peer connection: ${errorMessage(error)}`,
        ),
      );
    }
    if (attempt.cancelled) {
      for (const pc of peers) pc.close();
      this.opening = null;
      this.watched.step("session", "closed", { reason: "disconnect" });
      this.watched.finish();
      this.setPhase("idle");
      throw new LabError("cancelled", "Disconnected before the data channel opened.");
    }
    const session: LoopbackSession = new LoopbackSession(
      this.watched,
      {
        message: (data) => this.hooks.message(data),
        ended: (reason) => this.onEnded(session, reason),
      },
      timeoutMs,
      peers,
    );
    this.session = session;
    try {
      const result = await session.open();
      this.lastOpen = result;
      this.watched.setFindings([
        finding(
          "channel-open",
          `A data channel opened between two local peers in ${result.timeToOpenMs.toFixed(1)} ms.`,
        ),
      ]);
      this.setPhase("open");
      this.watched.startSampling();
      return result;
    } catch (error) {
      if (error instanceof LabError && error.finding) this.watched.setFindings([error.finding]);
      session.close({
        kind: "connect-failed",
        ...(error instanceof LabError && error.finding ? { finding: error.finding.code } : {}),
      });
      throw error;
    }
  }

  private onEnded(session: LoopbackSession, reason: EndReason): void {
    if (this.session !== session) return;
    const wasOpen = this.currentPhase === "open";
    this.session = null;
    this.opening = null;
    this.pendingAttempt = null;
    this.watched.stopSampling();
    this.watched.finish();
    this.setPhase("idle");
    this.hooks.ended(reason, wasOpen);
  }

  private failBeforeStart(f: Finding): Promise<never> {
    this.watched.step("session", "finding", { code: f.code, message: f.message });
    this.watched.setFindings([f]);
    this.watched.finish();
    return Promise.reject(new LabError("connect-failed", f.message, f));
  }

  private setPhase(phase: Phase): void {
    if (this.currentPhase === phase) return;
    this.currentPhase = phase;
    this.hooks.phase(phase);
  }
}
