// Messages and bytes a connection's channel sent and received, with per-second rates over the
// last second (a stall shows as a drop at once, not as a slowly sinking average).
import { type Rate, RateWindow } from "../core/rates";

export interface Counters {
  sentMessages: number;
  sentBytes: number;
  receivedMessages: number;
  receivedBytes: number;
  sendRate: Rate;
  receiveRate: Rate;
}

export class TrafficCounters {
  private counts = { sentMessages: 0, sentBytes: 0, receivedMessages: 0, receivedBytes: 0 };
  private sendRate: Rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
  private receiveRate: Rate = { messagesPerSecond: 0, bytesPerSecond: 0 };
  private readonly sendWindow = new RateWindow();
  private readonly receiveWindow = new RateWindow();

  reset(): void {
    this.counts = { sentMessages: 0, sentBytes: 0, receivedMessages: 0, receivedBytes: 0 };
    this.sendRate = { messagesPerSecond: 0, bytesPerSecond: 0 };
    this.receiveRate = { messagesPerSecond: 0, bytesPerSecond: 0 };
    this.sendWindow.reset();
    this.receiveWindow.reset();
  }

  sent(bytes: number): void {
    this.counts.sentMessages++;
    this.counts.sentBytes += bytes;
  }

  received(bytes: number): void {
    this.counts.receivedMessages++;
    this.counts.receivedBytes += bytes;
  }

  /** Sets the totals a producer counted itself (the page recorder); they only ever grow. */
  setTotals(
    totals: Pick<Counters, "sentMessages" | "sentBytes" | "receivedMessages" | "receivedBytes">,
  ): void {
    this.counts = { ...totals };
  }

  /** Takes a rate sample at time t (ms) and returns the counters as they stand. */
  sample(t: number): Counters {
    const c = this.counts;
    this.sendRate = this.sendWindow.add({ t, messages: c.sentMessages, bytes: c.sentBytes });
    this.receiveRate = this.receiveWindow.add({ t, messages: c.receivedMessages, bytes: c.receivedBytes });
    return this.snapshot();
  }

  snapshot(): Counters {
    return { ...this.counts, sendRate: { ...this.sendRate }, receiveRate: { ...this.receiveRate } };
  }
}
