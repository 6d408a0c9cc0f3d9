// While a session opens: decides when waiting is no longer worth it (its timeout, a hopeless state,
// a negotiation that failed) and then diagnoses where it stopped, from the states and from what ICE
// tried (getStats' candidate pairs, read within a bound).

import type { Finding } from "../../contract/findings";
import { LabError } from "../core/errors";
import { type PairEvidence, readPairEvidence } from "../watch/pair-stats";
import { diagnoseStall, isHopeless, type StallSnapshot } from "./stall";

/** How long the stall diagnosis waits for getStats' candidate pairs. */
export const PAIR_STATS_TIMEOUT_MS = 1000;

export class StallWatch {
  private settle: ((error: LabError) => void) | undefined;
  private diagnosing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private over = false;

  constructor(
    private readonly local: RTCPeerConnection,
    private readonly snapshot: () => StallSnapshot,
    /** Records the diagnosed finding on the timeline. */
    private readonly diagnosed: (finding: Finding) => void,
  ) {}

  /** Rejects with the diagnosed finding (a LabError "connect-failed") once the open has stalled. */
  start(timeoutMs: number): Promise<never> {
    this.timer = setTimeout(() => this.fail(), timeoutMs);
    return new Promise<never>((_, reject) => {
      this.settle = reject;
    });
  }

  /** Gives up at once when the states say the open can no longer succeed. */
  check(): void {
    if (!this.over && isHopeless(this.snapshot())) this.fail();
  }

  /** Gives up now and diagnoses where it stopped. */
  fail(): void {
    if (this.over || !this.settle || this.diagnosing) return;
    this.diagnosing = true;
    // What ICE tried is evidence for the stage: read the pairs first (bounded), then judge.
    void readPairEvidence(this.local, PAIR_STATS_TIMEOUT_MS).then((pairs) => this.settleWith(pairs));
  }

  /** The session opened or ended: nothing more to diagnose. */
  stop(): void {
    this.over = true;
    clearTimeout(this.timer);
  }

  private settleWith(pairs: PairEvidence | null): void {
    const settle = this.settle;
    if (this.over || !settle) return;
    this.settle = undefined;
    const finding = diagnoseStall({ ...this.snapshot(), pairs });
    this.diagnosed(finding);
    settle(new LabError("connect-failed", finding.message, finding));
  }
}
