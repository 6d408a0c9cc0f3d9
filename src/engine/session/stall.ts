// Where a connection attempt stopped (the stall diagnosis), and what that usually means. Pure: it reads a snapshot of
// the states the session saw, so it is tested without a browser.
import { type Finding, finding } from "../../contract/findings";
import type { PairEvidence } from "../watch/pair-stats";

export interface StallSnapshot {
  negotiationError?: string;
  localCandidates: number;
  remoteCandidates: number;
  localGathering: string;
  remoteGathering: string;
  iceConnectionState: string;
  /** Whether ICE was ever connected: Firefox reports DTLS "failed" when ICE never got that far. */
  iceEverConnected?: boolean;
  connectionState: string;
  /** undefined where the browser exposes no DTLS transport. */
  dtlsState?: string;
  /** undefined where the browser exposes no SCTP transport. */
  sctpState?: string;
  sendChannelState: string;
  receiveChannelState?: string;
  elapsedMs: number;
  timeoutMs: number;
  /** ICE servers or a relay-only policy were configured: zero candidates can then mean they failed. */
  usesIceServers?: boolean;
  /** The local peer's candidate pairs from getStats, where it gave them. */
  pairs?: PairEvidence | null;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

/** True when waiting longer cannot help, so the session should fail now rather than at the timeout. */
export function isHopeless(s: StallSnapshot): boolean {
  if (s.negotiationError) return true;
  if (s.iceConnectionState === "failed" || s.connectionState === "failed" || s.dtlsState === "failed")
    return true;
  const gatheringDone = s.localGathering === "complete" && s.remoteGathering === "complete";
  return gatheringDone && s.localCandidates + s.remoteCandidates === 0;
}

export function diagnoseStall(s: StallSnapshot): Finding {
  const after = `after ${seconds(s.elapsedMs)}`;
  if (s.negotiationError) {
    return finding("negotiation-failed", `Offer/answer negotiation failed: ${s.negotiationError}`);
  }
  if (s.localCandidates + s.remoteCandidates === 0) {
    // Host candidates need nothing but an interface, and this page is exempt from IP-handling policies.
    if (s.usesIceServers === false)
      return finding(
        "no-interface-up",
        `No ICE candidates were gathered (${after}), not even a host address: the browser found no network interface it will use.`,
      );
    return finding(
      "no-candidates",
      `No ICE candidates were gathered (${after}), so the peers had no address to reach each other on.`,
    );
  }
  const dtlsFailed = s.dtlsState === "failed";
  const iceConnected = ["connected", "completed"].includes(s.iceConnectionState);
  // DTLS cannot fail on its own before ICE has connected: then it is ICE that failed.
  if ((!iceConnected && !dtlsFailed) || s.iceEverConnected === false) {
    const udp = s.pairs?.udp;
    if (udp && udp.requestsSent > 0 && udp.responsesReceived === 0) {
      const tcp = s.pairs?.tcp;
      return finding(
        "udp-blocked",
        `ICE sent ${udp.requestsSent} connectivity checks over UDP on ${udp.pairs} candidate pair${udp.pairs === 1 ? "" : "s"} and not one was answered (ICE state "${s.iceConnectionState}" ${after}); TCP: ${tcp?.pairs ?? 0} pairs, ${tcp?.responsesReceived ?? 0} answers.`,
      );
    }
    // Candidates on both sides yet not one pair: ICE never got as far as a connectivity check.
    if (
      s.iceConnectionState === "failed" &&
      s.pairs &&
      s.pairs.udp.pairs + s.pairs.tcp.pairs === 0 &&
      s.localCandidates > 0 &&
      s.remoteCandidates > 0
    )
      return finding(
        "no-candidate-pairs",
        `ICE failed without forming a single candidate pair from ${s.localCandidates} local and ${s.remoteCandidates} remote candidates (${after}): no connectivity check was ever sent.`,
      );
    return finding(
      "ice-failed",
      `ICE found no working path between the peers (ICE state "${s.iceConnectionState}" ${after}).`,
    );
  }
  if (
    dtlsFailed ||
    (s.dtlsState !== undefined && s.dtlsState !== "connected") ||
    s.connectionState === "failed"
  ) {
    return finding(
      "dtls-failed",
      `ICE connected but the DTLS handshake did not complete (DTLS state "${s.dtlsState ?? "unknown"}", connection state "${s.connectionState}" ${after}).`,
    );
  }
  if (s.sctpState !== undefined && s.sctpState !== "connected") {
    return finding(
      "sctp-failed",
      `DTLS connected but the SCTP association did not (SCTP state "${s.sctpState}" ${after}).`,
    );
  }
  return finding(
    "channel-not-opened",
    `The connection came up but the data channel did not open (sending end "${s.sendChannelState}", receiving end ${
      s.receiveChannelState ? `"${s.receiveChannelState}"` : "never handed over"
    } ${after}).`,
  );
}
