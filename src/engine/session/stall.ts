// Where a connection attempt stopped (the stall diagnosis), and what that usually means. Pure: it reads a snapshot of
// the states the session saw, so it is tested without a browser.
import type { Finding } from "../../contract/findings";

export interface StallSnapshot {
  negotiationError?: string;
  localCandidates: number;
  remoteCandidates: number;
  localGathering: string;
  remoteGathering: string;
  iceConnectionState: string;
  connectionState: string;
  /** undefined where the browser exposes no DTLS transport. */
  dtlsState?: string;
  /** undefined where the browser exposes no SCTP transport. */
  sctpState?: string;
  sendChannelState: string;
  receiveChannelState?: string;
  elapsedMs: number;
  timeoutMs: number;
}

export const STALL_CODES = [
  "negotiation-failed",
  "no-candidates",
  "ice-failed",
  "dtls-failed",
  "sctp-failed",
  "channel-not-opened",
] as const;
export type StallCode = (typeof STALL_CODES)[number];

export interface StallFinding extends Finding {
  level: "fail";
  code: StallCode;
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

export function diagnoseStall(s: StallSnapshot): StallFinding {
  const after = `after ${seconds(s.elapsedMs)}`;
  if (s.negotiationError) {
    return {
      level: "fail",
      code: "negotiation-failed",
      message: `Offer/answer negotiation failed: ${s.negotiationError}`,
      hint: "The browser rejected its own session description; this points to a browser bug or a script that replaced RTCPeerConnection.",
    };
  }
  if (s.localCandidates + s.remoteCandidates === 0) {
    return {
      level: "fail",
      code: "no-candidates",
      message: `No ICE candidates were gathered (${after}), so the peers had no address to reach each other on.`,
      hint: "There is no usable network interface, or a WebRTC IP-handling policy (browser setting, enterprise policy or privacy extension) hides every address.",
    };
  }
  const dtlsFailed = s.dtlsState === "failed";
  const iceConnected = ["connected", "completed"].includes(s.iceConnectionState);
  if (!iceConnected && !dtlsFailed) {
    return {
      level: "fail",
      code: "ice-failed",
      message: `ICE found no working path between the peers (ICE state "${s.iceConnectionState}" ${after}).`,
      hint: "Candidates were gathered but no pair connected: a firewall or an interface that drops local UDP traffic is the usual cause.",
    };
  }
  if (
    dtlsFailed ||
    (s.dtlsState !== undefined && s.dtlsState !== "connected") ||
    s.connectionState === "failed"
  ) {
    return {
      level: "fail",
      code: "dtls-failed",
      message: `ICE connected but the DTLS handshake did not complete (DTLS state "${s.dtlsState ?? "unknown"}", connection state "${s.connectionState}" ${after}).`,
      hint: "Something between the peers interferes with encrypted UDP, or the certificates were rejected.",
    };
  }
  if (s.sctpState !== undefined && s.sctpState !== "connected") {
    return {
      level: "fail",
      code: "sctp-failed",
      message: `DTLS connected but the SCTP association did not (SCTP state "${s.sctpState}" ${after}).`,
      hint: "Data channels run over SCTP; this is rare and points to a browser bug.",
    };
  }
  return {
    level: "fail",
    code: "channel-not-opened",
    message: `The connection came up but the data channel did not open (sending end "${s.sendChannelState}", receiving end ${
      s.receiveChannelState ? `"${s.receiveChannelState}"` : "never handed over"
    } ${after}).`,
    hint: "The channel's DCEP open handshake was lost; try again, and report it to the browser vendor if it repeats.",
  };
}
