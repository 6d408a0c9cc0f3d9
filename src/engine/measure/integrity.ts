// Sequence bookkeeping for a throughput run: which messages arrived, in what order, and how many
// never did. Memory is fixed whatever the run's length: one bit per sequence number within a
// sliding window behind the highest seen.

/** Sequence numbers this far behind the highest seen are counted without a duplicate check. */
const DEFAULT_WINDOW = 1 << 16;

interface IntegrityCounts {
  /** Distinct sequence numbers that arrived intact. */
  delivered: number;
  /** Arrived after a message with a higher sequence number. */
  outOfOrder: number;
  /** Arrived intact a second time (not counted in delivered). */
  duplicated: number;
  /** Arrived, but with the wrong length or contents. */
  corrupted: number;
}

export class IntegrityTracker implements IntegrityCounts {
  delivered = 0;
  outOfOrder = 0;
  duplicated = 0;
  corrupted = 0;
  /** The highest sequence number seen; -1 before any. */
  highest = -1;
  private readonly seen: Uint32Array;
  private readonly mask: number;

  /** modulus: the sequence numbers a message header can tell apart (see Payload.modulus). */
  constructor(
    private readonly modulus: number,
    window = DEFAULT_WINDOW,
  ) {
    if (window < 32 || (window & (window - 1)) !== 0)
      throw new RangeError("The window must be a power of two of at least 32.");
    this.seen = new Uint32Array(window >>> 5);
    this.mask = window - 1;
  }

  /**
   * Records an arrival by its header's residue (sequence number modulo `modulus`), or a corrupted
   * message for a negative residue. The full number is the one nearest the next expected.
   */
  record(residue: number): void {
    if (residue < 0) {
      this.corrupted++;
      return;
    }
    const next = this.highest + 1;
    const m = this.modulus;
    let diff = (residue - next) % m;
    if (diff < 0) diff += m;
    const seq = diff < m / 2 ? next + diff : next + diff - m;
    if (seq < 0) {
      this.corrupted++;
      return;
    }
    if (seq > this.highest) {
      this.clearRange(next, seq);
      this.highest = seq;
      this.mark(seq);
      this.delivered++;
      return;
    }
    if (this.highest - seq > this.mask) {
      // Older than the window remembers: cannot tell a late arrival from a duplicate; count it as late.
      this.delivered++;
      this.outOfOrder++;
      return;
    }
    if (this.isMarked(seq)) {
      this.duplicated++;
      return;
    }
    this.mark(seq);
    this.delivered++;
    this.outOfOrder++;
  }

  /**
   * Messages lost of `sent`. A finished run waited for stragglers, so whatever did not arrive is lost;
   * a cancelled one counts only the gaps below the highest sequence number seen, since later
   * messages were still in flight (see `inFlight`).
   */
  lost(sent: number, finished: boolean): number {
    const upTo = finished ? sent : Math.min(sent, this.highest + 1);
    return Math.max(0, upTo - this.delivered - this.corrupted);
  }

  /** Of a cancelled run: sent, but neither arrived nor known lost when it stopped. */
  inFlight(sent: number): number {
    return Math.max(0, sent - this.delivered - this.corrupted - this.lost(sent, false));
  }

  private clearRange(from: number, to: number): void {
    if (to - from > this.mask) {
      this.seen.fill(0);
      return;
    }
    for (let s = from; s <= to; s++) {
      const i = s & this.mask;
      this.seen[i >>> 5] = (this.seen[i >>> 5] as number) & ~(1 << (i & 31));
    }
  }

  private mark(seq: number): void {
    const i = seq & this.mask;
    this.seen[i >>> 5] = (this.seen[i >>> 5] as number) | (1 << (i & 31));
  }

  private isMarked(seq: number): boolean {
    const i = seq & this.mask;
    return ((this.seen[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }
}
