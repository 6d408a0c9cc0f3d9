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

/** Creates the two peers of a session; throws when the browser refuses (see createPeerPairPatiently). */
export function createPeerPair(configuration?: RTCConfiguration): [RTCPeerConnection, RTCPeerConnection] {
  const local = new RTCPeerConnection(configuration);
  try {
    return [local, new RTCPeerConnection(configuration)];
  } catch (error) {
    local.close();
    throw error;
  }
}

/**
 * Chrome refuses new peer connections while about 500 exist in a page, and it counts closed ones
 * until garbage collection frees them; so when it refuses, make some garbage (which prompts a
 * collection) and try again a few times before giving up.
 */
export async function createPeerPairPatiently(
  onRetry: (attempt: number) => void,
  configuration?: RTCConfiguration,
): Promise<[RTCPeerConnection, RTCPeerConnection]> {
  const MAX_ATTEMPTS = 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return createPeerPair(configuration);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      onRetry(attempt);
      await promptGarbageCollection();
    }
  }
}

async function promptGarbageCollection(): Promise<void> {
  // Large short-lived buffers count as memory pressure and prompt a full collection.
  const garbage: ArrayBuffer[] = [];
  for (let i = 0; i < 16; i++) garbage.push(new ArrayBuffer(16 << 20));
  garbage.length = 0;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
