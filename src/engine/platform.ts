// Every browser difference the engine cares about, found by feature detection, never by user agent.

export function hasPeerConnection(): boolean {
  return typeof globalThis.RTCPeerConnection === "function";
}

/** The SCTP transport of a peer, where the browser exposes it (Chrome, Firefox 113+). */
export function sctpOf(pc: RTCPeerConnection): RTCSctpTransport | null {
  return "sctp" in pc ? (pc.sctp ?? null) : null;
}

/** The DTLS transport under the SCTP association, where the browser exposes it. */
export function dtlsOf(sctp: RTCSctpTransport | null): RTCDtlsTransport | null {
  return sctp && "transport" in sctp ? (sctp.transport ?? null) : null;
}

/**
 * The largest message this connection accepts. Without an SCTP transport to ask, fall back to
 * 64 KiB, which RFC 8831 lets every endpoint assume.
 */
export function maxMessageSizeOf(pc: RTCPeerConnection): number {
  const size = sctpOf(pc)?.maxMessageSize;
  return typeof size === "number" && size > 0 ? size : 65536;
}

export function maxChannelsOf(pc: RTCPeerConnection): number | null {
  const channels = sctpOf(pc)?.maxChannels;
  return typeof channels === "number" ? channels : null;
}

/** The smallest step of performance.now() this page sees (Firefox rounds to 1 ms, Chrome to 0.1 ms or finer). */
export function timerResolutionMs(now: () => number = () => performance.now()): number {
  let smallest = Number.POSITIVE_INFINITY;
  let previous = now();
  for (let i = 0; i < 2000 && smallest > 0.001; i++) {
    const next = now();
    const step = next - previous;
    if (step > 0 && step < smallest) smallest = step;
    previous = next;
  }
  // Round away float noise (0.09999999 → 0.1).
  return Number.isFinite(smallest) ? Number(smallest.toPrecision(2)) : 1;
}

/** Chrome closes the channel when more than this is queued; Firefox has no such limit. Stay under both. */
export const SEND_QUEUE_LIMIT = 16 * 1024 * 1024;
