// One loopback connection attempt: two RTCPeerConnections in this page, offer/answer and ICE
// candidates handed across directly, and the "sendChannel" data channel between them. It records
// onto a watched connection (through PeerRecorder, like every producer) and never touches the DOM.
import { abortable, errorText, LabError } from "../core/errors";
import { dtlsOf, maxChannelsOf, maxMessageSizeOf, sctpOf } from "../core/platform";
import { readBytesReceived, readPairActivity } from "../watch/pair-stats";
import { PeerRecorder, recordChannel, recordFinalChannelState } from "../watch/peer-recorder";
import { SignsOfLife } from "../watch/signs-of-life";
import type { WatchedConnection } from "../watch/watched-connection";
import { ChannelHandover, whenOpen } from "./channel-handover";
import { type EndReason, endReasonWords } from "./end-reason";
import { LossWatch } from "./loss-watch";
import { CandidateExchange, negotiate, PEER_LANE, type Peer } from "./signaling";
import type { StallSnapshot } from "./stall";
import { PAIR_STATS_TIMEOUT_MS, StallWatch } from "./stall-watch";

const SAMPLE_CHANNEL_LABEL = "sendChannel";
/** How long a run's own channel may take to open. */
const EXTRA_CHANNEL_TIMEOUT_MS = 10_000;

export interface SessionHooks {
  message(data: string | ArrayBuffer | Blob): void;
  /** The session ended on its own (a channel closed, the connection failed) or by close(). */
  ended(reason: EndReason): void;
}

export interface OpenResult {
  timeToOpenMs: number;
  maxMessageSize: number;
  maxChannels: number | null;
}

const LANES = {
  local: { peer: "localPeer", dtls: "localDtls", sctp: "localSctp" },
  remote: { peer: "remotePeer", dtls: "remoteDtls", sctp: "remoteSctp" },
} as const;

export class LoopbackSession {
  readonly local: RTCPeerConnection;
  readonly remote: RTCPeerConnection;
  readonly sendChannel: RTCDataChannel;
  receiveChannel: RTCDataChannel | null = null;
  private readonly aborter = new AbortController();
  /** The last sign the connection carries data: the lost-connection watch and the runs read it. */
  readonly life: SignsOfLife;
  private readonly lossWatch: LossWatch;
  private iceEverConnected = false;
  /** Aborted on close: removes every listener, or Chrome keeps closed peers alive through them. */
  private readonly listening = new AbortController();
  private readonly recorders: Record<Peer, PeerRecorder>;
  private readonly candidates: CandidateExchange;
  private readonly handover = new ChannelHandover();
  private negotiationError: string | undefined;
  private finished = false;
  private opened = false;
  private readonly stall: StallWatch;

  constructor(
    private readonly watched: WatchedConnection,
    private readonly hooks: SessionHooks,
    private readonly timeoutMs: number,
    [local, remote]: [RTCPeerConnection, RTCPeerConnection],
  ) {
    const signal = this.listening.signal;
    const changed = () => {
      if ([this.local, this.remote].some((pc) => ["connected", "completed"].includes(pc?.iceConnectionState)))
        this.iceEverConnected = true;
      if (!this.opened && !this.finished) this.stall.check();
      if (this.opened && !this.finished) this.lossWatch.check();
    };
    this.recorders = {
      local: new PeerRecorder(watched, local, LANES.local, signal, changed),
      remote: new PeerRecorder(watched, remote, LANES.remote, signal, changed),
    };
    this.local = local;
    this.remote = remote;
    this.stall = new StallWatch(
      local,
      () => this.snapshot(),
      (finding) => this.watched.step("session", "finding", { code: finding.code, message: finding.message }),
    );
    this.life = new SignsOfLife(() => readPairActivity([local, remote], PAIR_STATS_TIMEOUT_MS));
    this.lossWatch = new LossWatch([local, remote], this.life, (reason) =>
      this.watched.step("session", "connection-lost", { reason }),
    );
    this.candidates = new CandidateExchange(
      watched,
      { local, remote },
      this.signal,
      () => !this.finished,
      changed,
    );
    for (const peer of ["local", "remote"] as const) {
      this.recorders[peer].pc.addEventListener(
        "icecandidate",
        (event: RTCPeerConnectionIceEvent) => this.candidates.onCandidate(peer, event.candidate),
        { signal },
      );
    }
    this.sendChannel = local.createDataChannel(SAMPLE_CHANNEL_LABEL);
    recordChannel(watched, "sendChannel", this.sendChannel, signal, (event) =>
      this.channelEnded("sendChannel", event),
    );
    remote.addEventListener(
      "datachannel",
      (event: RTCDataChannelEvent) => this.onDataChannel(event.channel),
      {
        signal,
      },
    );
  }

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  /** Aborts, with the reason in words, once an open connection is lost (see LossWatch). */
  get lost(): AbortSignal {
    return this.lossWatch.signal;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Resolves when both channel ends are open; rejects with the diagnosed finding. */
  async open(): Promise<OpenResult> {
    const stalled = this.stall.start(this.timeoutMs);
    try {
      await Promise.race([this.negotiate().then(() => this.bothEndsOpen()), stalled]);
    } finally {
      this.stall.stop();
    }
    this.opened = true;
    const result: OpenResult = {
      timeToOpenMs: this.watched.timeline.elapsed(),
      maxMessageSize: maxMessageSizeOf(this.local),
      maxChannels: maxChannelsOf(this.local),
    };
    this.watched.step("session", "open", { maxMessageSize: result.maxMessageSize });
    return result;
  }

  get maxMessageSize(): number {
    return maxMessageSizeOf(this.local);
  }

  get maxChannels(): number | null {
    return maxChannelsOf(this.local);
  }

  /** What the remote peer, the receiving end of every run's channel, has taken off the wire. */
  readonly readReceivedOnPath = () => readBytesReceived(this.remote, PAIR_STATS_TIMEOUT_MS);

  /**
   * Opens one more channel on this connection (throughput and latency runs use their own, so their
   * options and traffic stay apart from the sample's) and resolves with both ends once open.
   */
  async openExtraChannel(label: string, init: RTCDataChannelInit): Promise<[RTCDataChannel, RTCDataChannel]> {
    const arrived = this.handover.wait(label);
    const sending = this.local.createDataChannel(label, init);
    // On a healthy loopback a channel opens in milliseconds: past the deadline it never will.
    const deadline = AbortSignal.any([
      this.signal,
      AbortSignal.timeout(EXTRA_CHANNEL_TIMEOUT_MS),
      this.lossWatch.signal,
    ]);
    try {
      const receiving = await abortable(arrived, deadline);
      await abortable(
        Promise.all([whenOpen(sending, this.listening.signal), whenOpen(receiving, this.listening.signal)]),
        deadline,
      );
      return [sending, receiving];
    } catch (error) {
      sending.close();
      if (this.signal.aborted) throw error;
      throw new LabError(
        "timeout",
        this.lossWatch.signal.aborted
          ? `Channel "${label}" did not open: ${String(this.lossWatch.signal.reason)}.`
          : `Channel "${label}" did not open within ${EXTRA_CHANNEL_TIMEOUT_MS / 1000} s.`,
      );
    }
  }

  /** Ends the session: closes both channel ends and both peers, and records the final states itself. */
  close(reason: EndReason): void {
    if (this.finished) return;
    this.stall.stop();
    this.lossWatch.stop();
    this.aborter.abort(
      new LabError("cancelled", `Disconnected (${endReasonWords(reason)}) before the data channel opened.`),
    );
    this.sendChannel.close();
    this.receiveChannel?.close();
    this.local.close();
    this.remote.close();
    // close() fires no events for what it ends: read the final states and record them ourselves.
    for (const peer of ["local", "remote"] as const) this.recorders[peer].readStates(true);
    recordFinalChannelState(this.watched, "sendChannel", this.sendChannel, this.local);
    if (this.receiveChannel)
      recordFinalChannelState(this.watched, "receiveChannel", this.receiveChannel, this.local);
    this.watched.step("session", "closed", { reason: endReasonWords(reason) });
    this.finished = true;
    this.listening.abort();
    this.hooks.ended(reason);
  }

  snapshot(): StallSnapshot {
    const sctp = sctpOf(this.local);
    const dtls = dtlsOf(sctp);
    return {
      ...(this.negotiationError ? { negotiationError: this.negotiationError } : {}),
      localCandidates: this.candidates.gathered.local,
      remoteCandidates: this.candidates.gathered.remote,
      localGathering: this.local.iceGatheringState,
      remoteGathering: this.remote.iceGatheringState,
      iceConnectionState: this.local.iceConnectionState,
      iceEverConnected: this.iceEverConnected,
      usesIceServers: usesIceServers(this.local),
      connectionState: this.local.connectionState,
      ...(dtls ? { dtlsState: dtls.state } : {}),
      ...(sctp ? { sctpState: sctp.state } : {}),
      sendChannelState: this.sendChannel.readyState,
      ...(this.receiveChannel ? { receiveChannelState: this.receiveChannel.readyState } : {}),
      elapsedMs: Math.round(this.watched.timeline.elapsed()),
      timeoutMs: this.timeoutMs,
    };
  }

  private async negotiate(): Promise<void> {
    try {
      await negotiate(
        { local: this.local, remote: this.remote },
        this.signal,
        (peer, kind, ...detail) => {
          if (!this.finished) this.watched.step(PEER_LANE[peer], kind, ...detail);
        },
        (peer) => this.recorders[peer].watchTransports(),
      );
    } catch (error) {
      if (this.signal.aborted) throw error;
      this.negotiationError = errorText(error);
      this.watched.step("session", "negotiation-failed", { message: this.negotiationError });
      this.stall.fail();
    }
  }

  private async bothEndsOpen(): Promise<void> {
    const arrived = this.handover.wait(SAMPLE_CHANNEL_LABEL);
    const receiving = await abortable(arrived, this.signal);
    await abortable(
      Promise.all([
        whenOpen(this.sendChannel, this.listening.signal),
        whenOpen(receiving, this.listening.signal),
      ]),
      this.signal,
    );
  }

  private onDataChannel(channel: RTCDataChannel): void {
    if (this.finished) return;
    if (channel.label === SAMPLE_CHANNEL_LABEL && !this.receiveChannel) {
      this.receiveChannel = channel;
      this.watched.step("receiveChannel", "channel-handed-over");
      const signal = this.listening.signal;
      recordChannel(this.watched, "receiveChannel", channel, signal, (event) =>
        this.channelEnded("receiveChannel", event),
      );
      channel.addEventListener(
        "message",
        (event: MessageEvent) => {
          if (!this.finished) this.hooks.message(event.data);
        },
        { signal },
      );
    }
    this.handover.handedOver(channel);
  }

  /** Either end of an open sample channel closing ends the session. */
  private channelEnded(lane: "sendChannel" | "receiveChannel", event: "closing" | "close"): void {
    if (this.opened && !this.finished)
      this.close({ kind: "channel-ended", channel: lane, state: event === "close" ? "closed" : "closing" });
  }
}

function usesIceServers(pc: RTCPeerConnection): boolean {
  const configuration = pc.getConfiguration();
  return (configuration.iceServers?.length ?? 0) > 0 || configuration.iceTransportPolicy === "relay";
}
