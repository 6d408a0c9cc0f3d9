// Once a session is open, watches for its connection being lost: ICE failed, or ICE disconnected
// for DISCONNECTED_TIMEOUT_MS with no sign of life (ICE may reconnect by itself within that, and
// Firefox on a congested 256 kbit/s link went "disconnected" while data kept arriving).
// The bound is the throughput run's stall bound: with one UDP packet in ten lost, SCTP's
// retransmission backoff left a latency run silent for more than 2 s while Firefox's ICE said
// "disconnected", and a 2 s bound called that working link lost (in one CI run).
import { STALL_MS } from "../measure/throughput";
import type { SignsOfLife } from "../watch/signs-of-life";

/** How long an open connection may stay "disconnected", with nothing crossing it, before it counts as lost. */
export const DISCONNECTED_TIMEOUT_MS = STALL_MS;

export class LossWatch {
  private readonly loss = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disconnectedSince: number | null = null;
  /** Counts watches of a disconnected connection, so a recovery voids the one under way. */
  private watch = 0;

  constructor(
    private readonly peers: readonly RTCPeerConnection[],
    private readonly life: SignsOfLife,
    /** Called once, when the connection is lost, with the reason in words. */
    private readonly lost: (reason: string) => void,
  ) {}

  /** Aborts, with the reason in words, once the connection is lost. */
  get signal(): AbortSignal {
    return this.loss.signal;
  }

  /** Judges the peers' states again; call after each change while the session is open. */
  check(): void {
    if (this.loss.signal.aborted) return;
    const states = this.peers.flatMap((pc) => [pc.iceConnectionState, pc.connectionState]);
    if (states.includes("failed")) {
      this.lose("the connection failed (ICE found no working path any more)");
      return;
    }
    if (!states.includes("disconnected")) {
      this.stop();
      return;
    }
    if (this.disconnectedSince !== null) return;
    this.disconnectedSince = performance.now();
    const watch = this.watch;
    // A first read, so bytes counted long before this are no sign of life now.
    void this.life.read().then(() => {
      if (watch === this.watch) this.arm(watch, performance.now());
    });
  }

  /** Ends any watch under way (the session closed, or ICE recovered). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.disconnectedSince = null;
    this.watch++;
  }

  private arm(watch: number, since: number): void {
    this.timer = setTimeout(async () => {
      await this.life.read();
      if (watch !== this.watch || this.loss.signal.aborted) return;
      if (!this.peers.some((pc) => pc.iceConnectionState === "disconnected")) return this.stop();
      // Bytes still cross it: the connection works, whatever ICE says; watch the next stretch.
      if (this.life.lastSignAt > since) return this.arm(watch, performance.now());
      const seconds = DISCONNECTED_TIMEOUT_MS / 1000;
      const forMs = performance.now() - (this.disconnectedSince ?? since);
      this.lose(
        forMs < 2 * DISCONNECTED_TIMEOUT_MS
          ? `ICE disconnected and did not recover within ${seconds} s`
          : `ICE disconnected ${(forMs / 1000).toFixed(1)} s ago, and for the last ${seconds} s nothing crossed the connection`,
      );
    }, DISCONNECTED_TIMEOUT_MS);
  }

  private lose(reason: string): void {
    this.stop();
    this.lost(reason);
    this.loss.abort(reason);
  }
}
