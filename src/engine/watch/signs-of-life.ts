// A connection's one "last sign of life": the last moment something showed it still carries data (a
// message arriving, a send queue going down, the candidate pairs' received bytes or ICE checks growing). The
// lost-connection watch and the throughput run's stall rule both judge by it, so they never disagree
// on whether the link is alive. The transport's counter costs a getStats() call: it is read only
// when nothing else has shown life for a while.

/** How often the transport's counter is read once nothing else shows progress. */
export const PATH_READ_MS = 1000;

export class SignsOfLife {
  private lastSign = Number.NEGATIVE_INFINITY;
  private pathBytes: number | null = null;
  private lastPathRead = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  /**
   * `readPath`: the bytes the connection has received at the transport (getStats), null where the
   * browser does not say.
   */
  constructor(
    private readonly readPath: () => Promise<number | null>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something showed the connection alive now (an arrival, the send queue going down). */
  saw(at: number = this.now()): void {
    if (at > this.lastSign) this.lastSign = at;
  }

  /** When the connection last showed life; -Infinity before it ever did. */
  get lastSignAt(): number {
    return this.lastSign;
  }

  /**
   * Reads the transport's counter when nothing has shown life for PATH_READ_MS and it was not read
   * as recently: a healthy connection never pays for getStats.
   */
  poll(): void {
    const now = this.now();
    if (this.reading || now - this.lastSign < PATH_READ_MS || now - this.lastPathRead < PATH_READ_MS) return;
    void this.read();
  }

  /** Reads the transport's counter now (or joins the read under way); a counter that grew is a sign. */
  read(): Promise<void> {
    this.reading ??= this.readOnce().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    this.lastPathRead = this.now();
    const bytes = await this.readPath().catch(() => null);
    if (bytes === null) return;
    if (this.pathBytes !== null && bytes > this.pathBytes) this.saw();
    this.pathBytes = bytes;
  }
}
