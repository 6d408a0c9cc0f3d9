// Signaling, loopback style: the offer and the answer, and every ICE candidate, handed straight from
// one peer to the other in this page (no server between them), each step recorded on the timeline.
import { abortable, errorText } from "../core/errors";
import { candidateDetail, describeCandidate } from "../watch/candidates";
import type { StepDetailArgs } from "../watch/steps";
import type { WatchedConnection } from "../watch/watched-connection";

export type Peer = "local" | "remote";

/** Records one of the negotiation's steps on a peer's lane. */
export type NegotiationStep = <
  K extends "offer-created" | "answer-created" | "local-description-set" | "remote-description-set",
>(
  peer: Peer,
  kind: K,
  ...detail: StepDetailArgs<K>
) => void;
export const PEER_LANE = { local: "localPeer", remote: "remotePeer" } as const;

/**
 * Offer, answer and both descriptions, in the sample's order; `described` runs once a peer's local
 * description is set (its transports exist from then on). Rejects with the browser's error.
 */
export async function negotiate(
  peers: Record<Peer, RTCPeerConnection>,
  signal: AbortSignal,
  step: NegotiationStep,
  described: (peer: Peer) => void,
): Promise<void> {
  const { local, remote } = peers;
  const offer = await abortable(local.createOffer(), signal);
  step("local", "offer-created");
  await abortable(local.setLocalDescription(offer), signal);
  step("local", "local-description-set", { type: "offer" });
  described("local");
  await abortable(remote.setRemoteDescription(offer), signal);
  step("remote", "remote-description-set", { type: "offer" });
  const answer = await abortable(remote.createAnswer(), signal);
  step("remote", "answer-created");
  await abortable(remote.setLocalDescription(answer), signal);
  step("remote", "local-description-set", { type: "answer" });
  described("remote");
  await abortable(local.setRemoteDescription(answer), signal);
  step("local", "remote-description-set", { type: "answer" });
}

/** Hands each gathered candidate to the other peer and counts them (a stall with none is diagnosed as such). */
export class CandidateExchange {
  readonly gathered = { local: 0, remote: 0 };

  constructor(
    private readonly watched: WatchedConnection,
    private readonly peers: Record<Peer, RTCPeerConnection>,
    private readonly signal: AbortSignal,
    /** False once the session has ended: nothing more is recorded. */
    private readonly recording: () => boolean,
    /** Called when a peer has finished gathering. */
    private readonly gatheringDone: () => void,
  ) {}

  onCandidate(peer: Peer, candidate: RTCIceCandidate | null): void {
    if (!this.recording()) return;
    const lane = PEER_LANE[peer];
    // Firefox signals end-of-candidates with an empty candidate before the null one; count only the null.
    if (candidate && !candidate.candidate) return;
    if (!candidate) {
      this.watched.step(lane, "gathering-finished", { candidates: this.gathered[peer] });
      this.gatheringDone();
      return;
    }
    this.gathered[peer]++;
    const info = describeCandidate(candidate.candidate);
    const detail = candidateDetail(info);
    this.watched.step(lane, "candidate-gathered", detail);
    const other: Peer = peer === "local" ? "remote" : "local";
    // The published sample passed success callbacks that were never called; await the promise instead.
    abortable(this.peers[other].addIceCandidate(candidate), this.signal).then(
      () => {
        if (this.recording()) this.watched.step(PEER_LANE[other], "candidate-added", detail);
      },
      (error: unknown) => {
        if (!this.signal.aborted)
          this.watched.step(lane, "add-candidate-failed", { message: errorText(error) });
      },
    );
  }
}
