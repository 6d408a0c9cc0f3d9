// Records what a peer connection and its data channels do onto a watched connection: every state
// change of the connection, its DTLS and SCTP transports and each channel, and their errors. Any
// producer of watched connections records through here, so the lanes read the same for all of them.
import { dtlsOf, sctpOf } from "../core/platform";
import type { TimelineSource } from "./timeline";
import type { WatchedConnection } from "./watched-connection";

/** The timeline lanes one peer's objects are recorded in. */
export interface PeerLanes {
  peer: TimelineSource;
  dtls: TimelineSource;
  sctp: TimelineSource;
}

/** Each peer state and the event that announces its change. */
export const PEER_STATES = [
  ["signalingstatechange", "signalingState"],
  ["icegatheringstatechange", "iceGatheringState"],
  ["iceconnectionstatechange", "iceConnectionState"],
  ["connectionstatechange", "connectionState"],
] as const;

export class PeerRecorder {
  constructor(
    private readonly watched: WatchedConnection,
    readonly pc: RTCPeerConnection,
    private readonly lanes: PeerLanes,
    /** Aborted when recording ends: removes every listener, or Chrome keeps closed peers alive through them. */
    private readonly signal: AbortSignal,
    /** Called after each recorded change, so the owner can re-judge whether waiting is still worth it. */
    private readonly changed: () => void,
  ) {
    this.readStates(false);
    for (const [event, property] of PEER_STATES) {
      this.listen(pc, event, (e) => {
        this.watched.state(lanes.peer, property, pc[property], { at: e.timeStamp });
        changed();
      });
    }
    this.listen(pc, "icecandidateerror", (event) => {
      const e = event as RTCPeerConnectionIceErrorEvent;
      this.watched.step(lanes.peer, "candidate-error", {
        code: e.errorCode,
        text: e.errorText,
        url: e.url ?? null,
      });
    });
  }

  /** The SCTP and DTLS transports exist only once a description is set: call this after each. */
  watchTransports(): void {
    const sctp = sctpOf(this.pc);
    if (!sctp) return;
    const { sctp: sctpLane, dtls: dtlsLane } = this.lanes;
    this.watched.state(sctpLane, "state", sctp.state, { read: true });
    this.listen(sctp, "statechange", (e) => {
      this.watched.state(sctpLane, "state", sctp.state, { at: e.timeStamp });
      this.changed();
    });
    const dtls = dtlsOf(sctp);
    if (!dtls) return;
    this.watched.state(dtlsLane, "state", dtls.state, { read: true });
    this.listen(dtls, "statechange", (e) => {
      this.watched.state(dtlsLane, "state", dtls.state, { at: e.timeStamp });
      this.changed();
    });
    this.listen(dtls, "error", (event) => {
      this.watched.step(dtlsLane, "dtls-error", {
        message: (event as RTCErrorEvent).error?.message ?? "unknown",
      });
    });
  }

  /**
   * Reads every state as it stands: at the start (marked as reads), or after close(), which fires
   * no events (marked synthetic).
   */
  readStates(synthetic: boolean): void {
    const extra = synthetic ? { synthetic } : { read: true };
    for (const [, property] of PEER_STATES)
      this.watched.state(this.lanes.peer, property, this.pc[property], extra);
    const sctp = sctpOf(this.pc);
    if (sctp) this.watched.state(this.lanes.sctp, "state", sctp.state, extra);
    const dtls = dtlsOf(sctp);
    if (dtls) this.watched.state(this.lanes.dtls, "state", dtls.state, extra);
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    target.addEventListener(type, handler, { signal: this.signal });
  }
}

/** Records a data channel's readyState changes and errors; `ended` hears "closing" and "close". */
export function recordChannel(
  watched: WatchedConnection,
  lane: TimelineSource,
  channel: RTCDataChannel,
  signal: AbortSignal,
  ended: (event: "closing" | "close") => void,
): void {
  watched.state(lane, "readyState", channel.readyState, { read: true });
  for (const event of ["open", "closing", "close"] as const) {
    channel.addEventListener(
      event,
      (e) => {
        watched.state(lane, "readyState", channel.readyState, { at: e.timeStamp });
        if (event !== "open") ended(event);
      },
      { signal },
    );
  }
  channel.addEventListener(
    "error",
    (event) => {
      const error = (event as RTCErrorEvent).error;
      watched.step(lane, "channel-error", {
        message: error?.message ?? "unknown",
        detail: error?.errorDetail ?? null,
      });
    },
    { signal },
  );
}

/** After close(), which fires no events: records the channel's final readyState as a synthetic read. */
export function recordFinalChannelState(
  watched: WatchedConnection,
  lane: TimelineSource,
  channel: RTCDataChannel,
  pc: RTCPeerConnection,
): void {
  watched.state(lane, "readyState", channel.readyState, { synthetic: true });
  // Chrome still says "closing" for a channel that never opened after its peer is closed; with the
  // peer gone the channel is closed in every sense that matters, as the spec says it should read.
  if (channel.readyState === "closing" && pc.signalingState === "closed") {
    watched.state(lane, "readyState", "closed", {
      synthetic: true,
      detail: { reason: "peer connection closed" },
    });
  }
}
