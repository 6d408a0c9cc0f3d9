// One loopback connection attempt: two RTCPeerConnections in this page, offer/answer and ICE
// candidates handed across directly, and the "sendChannel" data channel between them.
// It records every state change on the timeline and never touches the DOM.

import { abortable, errorText, LabError } from "../core/errors";
import { dtlsOf, maxChannelsOf, maxMessageSizeOf, sctpOf } from "../core/platform";
import { describeCandidate } from "../watch/candidates";
import type { Timeline, TimelineEntry, TimelineSource } from "../watch/timeline";
import { diagnoseStall, isHopeless, type StallSnapshot } from "./stall";

export const SAMPLE_CHANNEL_LABEL = "sendChannel";

export interface SessionHooks {
  entry(entry: TimelineEntry): void;
  message(data: string | ArrayBuffer | Blob): void;
  /** The session ended on its own (a channel closed, the connection failed) or by close(). */
  ended(reason: string): void;
}

export interface OpenResult {
  timeToOpenMs: number;
  maxMessageSize: number;
  maxChannels: number | null;
}

type Peer = "local" | "remote";
const PEER_SOURCE = { local: "localPeer", remote: "remotePeer" } as const;
const SCTP_SOURCE = { local: "localSctp", remote: "remoteSctp" } as const;
const DTLS_SOURCE = { local: "localDtls", remote: "remoteDtls" } as const;
const PEER_STATES = [
  ["signalingstatechange", "signalingState"],
  ["icegatheringstatechange", "iceGatheringState"],
  ["iceconnectionstatechange", "iceConnectionState"],
  ["connectionstatechange", "connectionState"],
] as const;

export class LoopbackSession {
  readonly local: RTCPeerConnection;
  readonly remote: RTCPeerConnection;
  readonly sendChannel: RTCDataChannel;
  receiveChannel: RTCDataChannel | null = null;
  private readonly aborter = new AbortController();
  /** Aborted on close: removes every listener, or Chrome keeps closed peers alive through them. */
  private readonly listening = new AbortController();
  private readonly candidates = { local: 0, remote: 0 };
  private readonly channelWaiters = new Map<string, (channel: RTCDataChannel) => void>();
  private negotiationError: string | undefined;
  private finished = false;
  private opened = false;
  private settleStall: ((finding: LabError) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeline: Timeline,
    private readonly hooks: SessionHooks,
    private readonly timeoutMs: number,
    [local, remote]: [RTCPeerConnection, RTCPeerConnection],
  ) {
    this.local = this.watchPeer("local", local);
    this.remote = this.watchPeer("remote", remote);
    this.sendChannel = this.local.createDataChannel(SAMPLE_CHANNEL_LABEL);
    this.watchChannel("sendChannel", this.sendChannel);
    this.listen(this.remote, "datachannel", (event: RTCDataChannelEvent) =>
      this.onDataChannel(event.channel),
    );
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Resolves when both channel ends are open; rejects with the diagnosed finding. */
  async open(): Promise<OpenResult> {
    const stalled = new Promise<never>((_, reject) => {
      this.settleStall = reject;
    });
    this.timer = setTimeout(() => this.failWithDiagnosis(), this.timeoutMs);
    try {
      await Promise.race([this.negotiate().then(() => this.bothEndsOpen()), stalled]);
    } finally {
      clearTimeout(this.timer);
    }
    this.opened = true;
    const result: OpenResult = {
      timeToOpenMs: this.timeline.elapsed(),
      maxMessageSize: maxMessageSizeOf(this.local),
      maxChannels: maxChannelsOf(this.local),
    };
    this.step("session", "step", "open", { maxMessageSize: result.maxMessageSize });
    return result;
  }

  get maxMessageSize(): number {
    return maxMessageSizeOf(this.local);
  }

  get maxChannels(): number | null {
    return maxChannelsOf(this.local);
  }

  /**
   * Opens one more channel on this connection (throughput and latency runs use their own, so their
   * options and traffic stay apart from the sample's) and resolves with both ends once open.
   */
  async openExtraChannel(label: string, init: RTCDataChannelInit): Promise<[RTCDataChannel, RTCDataChannel]> {
    const arrived = new Promise<RTCDataChannel>((resolve) => this.channelWaiters.set(label, resolve));
    const sending = this.local.createDataChannel(label, init);
    const receiving = await abortable(arrived, this.signal);
    await abortable(
      Promise.all([whenOpen(sending, this.listening.signal), whenOpen(receiving, this.listening.signal)]),
      this.signal,
    );
    return [sending, receiving];
  }

  /** Ends the session: closes both channel ends and both peers, and records the final states itself. */
  close(reason: string): void {
    if (this.finished) return;
    clearTimeout(this.timer);
    this.aborter.abort(new LabError("cancelled", `Disconnected (${reason}) before the data channel opened.`));
    this.sendChannel.close();
    this.receiveChannel?.close();
    this.local.close();
    this.remote.close();
    // close() fires no events for what it ends: read the final states and record them ourselves.
    for (const peer of ["local", "remote"] as const) this.readPeerStates(peer, true);
    this.readChannelState("sendChannel", this.sendChannel);
    if (this.receiveChannel) this.readChannelState("receiveChannel", this.receiveChannel);
    this.step("session", "step", "closed", { reason });
    this.finished = true;
    this.listening.abort();
    this.hooks.ended(reason);
  }

  snapshot(): StallSnapshot {
    const dtls = dtlsOf(sctpOf(this.local));
    return {
      ...(this.negotiationError ? { negotiationError: this.negotiationError } : {}),
      localCandidates: this.candidates.local,
      remoteCandidates: this.candidates.remote,
      localGathering: this.local.iceGatheringState,
      remoteGathering: this.remote.iceGatheringState,
      iceConnectionState: this.local.iceConnectionState,
      connectionState: this.local.connectionState,
      ...(dtls ? { dtlsState: dtls.state } : {}),
      ...(sctpOf(this.local) ? { sctpState: sctpOf(this.local)?.state } : {}),
      sendChannelState: this.sendChannel.readyState,
      ...(this.receiveChannel ? { receiveChannelState: this.receiveChannel.readyState } : {}),
      elapsedMs: Math.round(this.timeline.elapsed()),
      timeoutMs: this.timeoutMs,
    };
  }

  private async negotiate(): Promise<void> {
    const { local, remote, signal } = this;
    try {
      const offer = await abortable(local.createOffer(), signal);
      this.step("localPeer", "step", "offer created");
      await abortable(local.setLocalDescription(offer), signal);
      this.step("localPeer", "step", "local description set (offer)");
      this.watchTransports("local");
      await abortable(remote.setRemoteDescription(offer), signal);
      this.step("remotePeer", "step", "remote description set (offer)");
      const answer = await abortable(remote.createAnswer(), signal);
      this.step("remotePeer", "step", "answer created");
      await abortable(remote.setLocalDescription(answer), signal);
      this.step("remotePeer", "step", "local description set (answer)");
      this.watchTransports("remote");
      await abortable(local.setRemoteDescription(answer), signal);
      this.step("localPeer", "step", "remote description set (answer)");
    } catch (error) {
      if (signal.aborted) throw error;
      this.negotiationError = errorText(error);
      this.step("session", "error", "negotiation failed", { message: this.negotiationError });
      this.failWithDiagnosis();
    }
  }

  private async bothEndsOpen(): Promise<void> {
    const arrived = new Promise<RTCDataChannel>((resolve) =>
      this.channelWaiters.set(SAMPLE_CHANNEL_LABEL, resolve),
    );
    const receiving = await abortable(arrived, this.signal);
    await abortable(
      Promise.all([
        whenOpen(this.sendChannel, this.listening.signal),
        whenOpen(receiving, this.listening.signal),
      ]),
      this.signal,
    );
  }

  private watchPeer(peer: Peer, pc: RTCPeerConnection): RTCPeerConnection {
    const source = PEER_SOURCE[peer];
    this.readPeerStates(peer, false, pc);
    for (const [event, property] of PEER_STATES) {
      this.listen(pc, event, () => {
        this.state(source, property, pc[property]);
        this.checkHopeless();
      });
    }
    this.listen(pc, "icecandidate", (event: RTCPeerConnectionIceEvent) =>
      this.onCandidate(peer, event.candidate),
    );
    this.listen(pc, "icecandidateerror", (event) => {
      const e = event as RTCPeerConnectionIceErrorEvent;
      this.step(source, "error", "candidate error", {
        code: e.errorCode,
        text: e.errorText,
        url: e.url ?? null,
      });
    });
    return pc;
  }

  private onCandidate(peer: Peer, candidate: RTCIceCandidate | null): void {
    if (this.finished) return;
    const source = PEER_SOURCE[peer];
    // Firefox signals end-of-candidates with an empty candidate before the null one; count only the null.
    if (candidate && !candidate.candidate) return;
    if (!candidate) {
      this.step(source, "step", "candidate gathering finished", { candidates: this.candidates[peer] });
      this.checkHopeless();
      return;
    }
    this.candidates[peer]++;
    const info = describeCandidate(candidate.candidate);
    const detail = { type: info.type, protocol: info.protocol, family: info.family, mdns: info.mdns };
    this.step(source, "candidate", `gathered ${info.type} ${info.protocol} ${info.family}`, detail);
    const other = peer === "local" ? this.remote : this.local;
    // The published sample passed success callbacks that were never called; await the promise instead.
    abortable(other.addIceCandidate(candidate), this.signal).then(
      () =>
        this.step(
          PEER_SOURCE[peer === "local" ? "remote" : "local"],
          "candidate",
          `added ${info.type} ${info.protocol} ${info.family}`,
          detail,
        ),
      (error: unknown) => {
        if (!this.signal.aborted)
          this.step(source, "error", "addIceCandidate failed", { message: errorText(error) });
      },
    );
  }

  private onDataChannel(channel: RTCDataChannel): void {
    if (this.finished) return;
    if (channel.label === SAMPLE_CHANNEL_LABEL && !this.receiveChannel) {
      this.receiveChannel = channel;
      this.step("receiveChannel", "step", "channel handed over (ondatachannel)");
      this.watchChannel("receiveChannel", channel);
      this.listen(channel, "message", (event: MessageEvent) => {
        if (!this.finished) this.hooks.message(event.data);
      });
    }
    const waiter = this.channelWaiters.get(channel.label);
    this.channelWaiters.delete(channel.label);
    waiter?.(channel);
  }

  private watchChannel(source: "sendChannel" | "receiveChannel", channel: RTCDataChannel): void {
    this.readChannelState(source, channel, false);
    for (const event of ["open", "closing", "close"]) {
      this.listen(channel, event, () => {
        this.state(source, "readyState", channel.readyState);
        if (event !== "open" && this.opened && !this.finished)
          this.close(`${source} ${event === "close" ? "closed" : "closing"}`);
      });
    }
    this.listen(channel, "error", (event) => {
      const error = (event as RTCErrorEvent).error;
      this.step(source, "error", "channel error", {
        message: error?.message ?? "unknown",
        detail: error?.errorDetail ?? null,
      });
    });
  }

  private watchTransports(peer: Peer): void {
    const pc = peer === "local" ? this.local : this.remote;
    const sctp = sctpOf(pc);
    if (!sctp) return;
    this.state(SCTP_SOURCE[peer], "state", sctp.state);
    this.listen(sctp, "statechange", () => {
      this.state(SCTP_SOURCE[peer], "state", sctp.state);
      this.checkHopeless();
    });
    const dtls = dtlsOf(sctp);
    if (!dtls) return;
    this.state(DTLS_SOURCE[peer], "state", dtls.state);
    this.listen(dtls, "statechange", () => {
      this.state(DTLS_SOURCE[peer], "state", dtls.state);
      this.checkHopeless();
    });
    this.listen(dtls, "error", (event) => {
      this.step(DTLS_SOURCE[peer], "error", "DTLS error", {
        message: (event as RTCErrorEvent).error?.message ?? "unknown",
      });
    });
  }

  private readPeerStates(
    peer: Peer,
    synthetic: boolean,
    pc = peer === "local" ? this.local : this.remote,
  ): void {
    for (const [, property] of PEER_STATES) this.state(PEER_SOURCE[peer], property, pc[property], synthetic);
    const sctp = sctpOf(pc);
    if (sctp) this.state(SCTP_SOURCE[peer], "state", sctp.state, synthetic);
    const dtls = dtlsOf(sctp);
    if (dtls) this.state(DTLS_SOURCE[peer], "state", dtls.state, synthetic);
  }

  private readChannelState(
    source: "sendChannel" | "receiveChannel",
    channel: RTCDataChannel,
    synthetic = true,
  ): void {
    this.state(source, "readyState", channel.readyState, synthetic);
    // Chrome still says "closing" for a channel that never opened after its peer is closed; with the
    // peer gone the channel is closed in every sense that matters, as the spec says it should read.
    if (synthetic && channel.readyState === "closing" && this.local.signalingState === "closed") {
      const entry = this.timeline.state(source, "readyState", "closed", {
        synthetic,
        detail: { reason: "peer connection closed" },
      });
      if (entry) this.hooks.entry(entry);
    }
  }

  private checkHopeless(): void {
    if (!this.opened && !this.finished && isHopeless(this.snapshot())) this.failWithDiagnosis();
  }

  private failWithDiagnosis(): void {
    if (this.opened || this.finished || !this.settleStall) return;
    const finding = diagnoseStall(this.snapshot());
    this.step("session", "finding", finding.code, { message: finding.message });
    const settle = this.settleStall;
    this.settleStall = undefined;
    settle(new LabError("connect-failed", finding.message, finding));
  }

  private listen<E extends Event>(target: EventTarget, type: string, handler: (event: E) => void): void {
    target.addEventListener(type, handler as EventListener, { signal: this.listening.signal });
  }

  private state(source: TimelineSource, property: string, value: string, synthetic = false): void {
    if (this.finished) return;
    const entry = this.timeline.state(source, property, value, synthetic ? { synthetic } : {});
    if (entry) this.hooks.entry(entry);
  }

  private step(
    source: TimelineSource,
    property: string,
    value: string,
    detail?: TimelineEntry["detail"],
  ): void {
    if (this.finished) return;
    this.hooks.entry(this.timeline.step(source, property, value, detail));
  }
}

function whenOpen(channel: RTCDataChannel, signal: AbortSignal): Promise<void> {
  if (channel.readyState === "open") return Promise.resolve();
  return new Promise((resolve, reject) => {
    channel.addEventListener("open", () => resolve(), { once: true, signal });
    channel.addEventListener(
      "close",
      () => reject(new LabError("cancelled", `Channel "${channel.label}" closed before it opened.`)),
      { once: true, signal },
    );
  });
}
