// A stand-in for a loopback RTCDataChannel pair, for testing the throughput runner without a browser:
// send() queues (and throws past 16 MiB, as Chrome does), a pump delivers a few messages per timer
// tick and fires bufferedamountlow, and a hook may drop, reorder or damage messages on the way.
import type { ChannelSource } from "../../src/engine/measure/run-phase";
import { SignsOfLife } from "../../src/engine/watch/signs-of-life";

type Data = string | ArrayBuffer;
const LIMIT = 16 * 1024 * 1024;

export class FakeChannel {
  readyState: RTCDataChannelState = "open";
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = "blob";
  onmessage: ((event: { data: Data }) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  onclose: (() => void) | null = null;
  peer: FakeChannel | null = null;
  /** The most ever queued at once. */
  maxQueued = 0;
  sentMessages = 0;
  private queue: Data[] = [];
  private pumping = false;

  constructor(
    readonly label: string,
    private readonly network: {
      perTick: number;
      transform?: (index: number, data: Data) => Data[];
      /** What the connection's transport says it has received; null (unknown) by default. */
      pathBytes?: () => number | null;
    },
  ) {}

  send(data: Data): void {
    if (this.readyState !== "open") throw new Error("InvalidStateError: not open");
    const size = typeof data === "string" ? data.length : data.byteLength;
    if (this.bufferedAmount + size > LIMIT) throw new Error("OperationError: send queue is full");
    this.queue.push(typeof data === "string" ? data : data.slice(0));
    this.bufferedAmount += size;
    this.maxQueued = Math.max(this.maxQueued, this.bufferedAmount);
    this.sentMessages++;
    if (!this.pumping) {
      this.pumping = true;
      setTimeout(() => this.pump(), 0);
    }
  }

  /** Ends the channel from the far side, as a failing connection would. */
  closeFromPeer(): void {
    this.close();
    this.onclose?.();
  }

  close(): void {
    this.readyState = "closed";
    this.queue = [];
    this.bufferedAmount = 0;
  }

  get queuedMessages(): number {
    return this.queue.length;
  }

  private delivered = 0;
  private pump(): void {
    this.pumping = false;
    for (let i = 0; i < this.network.perTick && this.queue.length > 0 && this.readyState === "open"; i++) {
      const data = this.queue.shift() as Data;
      const before = this.bufferedAmount;
      this.bufferedAmount -= typeof data === "string" ? data.length : data.byteLength;
      const out = this.network.transform ? this.network.transform(this.delivered++, data) : [data];
      for (const item of out) this.peer?.onmessage?.({ data: item });
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold)
        this.onbufferedamountlow?.();
    }
    if (this.queue.length > 0 && this.readyState === "open") {
      this.pumping = true;
      setTimeout(() => this.pump(), 0);
    }
  }
}

export function fakeSource(network: ConstructorParameters<typeof FakeChannel>[1], maxMessageSize = 262_144) {
  const session = new AbortController();
  /** Abort it (with a reason) to play a connection lost under the run. */
  const connection = new AbortController();
  const channels: FakeChannel[] = [];
  const source: ChannelSource = {
    signal: session.signal,
    lost: connection.signal,
    maxMessageSize,
    async openExtraChannel(label) {
      const tx = new FakeChannel(label, network);
      const rx = new FakeChannel(label, network);
      tx.peer = rx;
      rx.peer = tx;
      channels.push(tx, rx);
      return [tx as unknown as RTCDataChannel, rx as unknown as RTCDataChannel];
    },
    life: new SignsOfLife(async () => network.pathBytes?.() ?? null),
    readReceivedOnPath: async () => network.pathBytes?.() ?? null,
  };
  return { source, session, connection, channels };
}
