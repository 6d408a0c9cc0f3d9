// The web-page probe: a short loopback (two peers, one data channel, no ICE servers) that counts the
// candidates it gathers and says whether the channel opened. The same code runs in the panel's own
// page and, injected with devtools.inspectedWindow.eval, in the inspected web page: extension pages
// are exempt from IP-handling policies and mDNS masking, web pages are not, so the two can differ.
// Self-contained (the page gets it as one function expression, with what it imports inlined).
import { type ProbeSecret, sealOf } from "../contract/probe-seal";
import { UNRECORDED_MARK } from "../engine/page/page-batch";

// Taken when the probe is injected: replaced later by the page, it changes nothing.
const stringify = JSON.stringify;

export interface ProbeResult {
  /** RTCPeerConnection exists in this page. */
  api: boolean;
  /** By type; `loopback` counts host candidates on 127.0.0.0/8 or ::1 (also counted in `host`). */
  candidates: {
    total: number;
    host: number;
    mdns: number;
    loopback: number;
    srflx: number;
    relay: number;
    prflx: number;
  };
  /** The local peer's gathering state when the probe ended. */
  gathering: string;
  /** The local peer's ICE connection state when the probe ended. */
  ice: string;
  opened: boolean;
  /** ms from start to the channel opening, or to giving up. */
  elapsedMs: number;
  /** What the browser threw, if anything. */
  error: string | null;
}

/** What the probe's reader gives once the probe has ended: its result as JSON, and the seal on it. */
export interface SealedAnswer {
  json: string;
  seal: string;
}

/** How long the probe waits for its channel: a loopback opens in well under a second. */
export const LOOPBACK_PROBE_TIMEOUT_MS = 5000;

export async function runProbe(timeoutMs = LOOPBACK_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const started = performance.now();
  const candidates = { total: 0, host: 0, mdns: 0, loopback: 0, srflx: 0, relay: 0, prflx: 0 };
  const result = (pc: RTCPeerConnection | null, opened: boolean, error: string | null): ProbeResult => ({
    api: true,
    candidates,
    gathering: pc?.iceGatheringState ?? "new",
    ice: pc?.iceConnectionState ?? "new",
    opened,
    elapsedMs: Math.round(performance.now() - started),
    error,
  });
  const Peer = (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection;
  if (typeof Peer !== "function") return { ...result(null, false, null), api: false };
  let a: RTCPeerConnection | null = null;
  let b: RTCPeerConnection | null = null;
  try {
    // Marked, so a recorder in the page leaves the probe's connections out of the page's own.
    const configuration = { [UNRECORDED_MARK]: true } as RTCConfiguration;
    a = new Peer(configuration);
    b = new Peer(configuration);
    const [local, remote] = [a, b];
    local.onicecandidate = (event) => {
      const c = event.candidate;
      if (!c?.candidate) return;
      candidates.total++;
      const type = c.type ?? / typ (\w+)/.exec(c.candidate)?.[1] ?? "";
      const address = c.address ?? c.candidate.split(" ")[4] ?? "";
      if (type === "host") candidates[/\.local$/i.test(address) ? "mdns" : "host"]++;
      if (type === "host" && /^(127\.|::1$|\[::1\]$)/.test(address)) candidates.loopback++;
      else if (type === "srflx" || type === "relay" || type === "prflx") candidates[type]++;
      remote.addIceCandidate(c).catch(() => {});
    };
    remote.onicecandidate = (event) => {
      if (event.candidate?.candidate) local.addIceCandidate(event.candidate).catch(() => {});
    };
    const channel = local.createDataChannel("loopback-lab-probe");
    // The deadline covers the negotiation too: a page may have replaced what it awaits.
    const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs));
    const opened = new Promise<boolean>((resolve) => {
      channel.onopen = () => resolve(true);
    });
    const negotiated = (async () => {
      await local.setLocalDescription(await local.createOffer());
      await remote.setRemoteDescription(local.localDescription as RTCSessionDescriptionInit);
      await remote.setLocalDescription(await remote.createAnswer());
      await local.setRemoteDescription(remote.localDescription as RTCSessionDescriptionInit);
      return opened;
    })();
    return result(local, await Promise.race([negotiated, deadline]), null);
  } catch (error) {
    return result(a, false, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  } finally {
    a?.close();
    b?.close();
  }
}

/**
 * Runs the probe and leaves a reader on the page under `key`, which the panel polls: null until the
 * probe ends, then the sealed answer. The answer itself lives in this closure, not on the page.
 */
export function start(key: string, secret: ProbeSecret): void {
  let answer: SealedAnswer | null = null;
  const read = () => answer;
  Object.defineProperty(globalThis, key, { value: read, configurable: true });
  void runProbe().then((result) => {
    const json = stringify(result);
    answer = { json, seal: sealOf(secret, json) };
  });
}
