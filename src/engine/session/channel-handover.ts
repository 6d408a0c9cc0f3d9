// The far end of a channel reaches the remote peer through "datachannel", after the local end is
// made: each opener waits here for its own label's end, and both ends open.
import { LabError } from "../core/errors";

export class ChannelHandover {
  private readonly waiters = new Map<string, (channel: RTCDataChannel) => void>();

  /** Resolves with the remote end of the channel labelled `label` once the browser hands it over. */
  wait(label: string): Promise<RTCDataChannel> {
    return new Promise((resolve) => this.waiters.set(label, resolve));
  }

  /** The remote peer was handed `channel`: whoever waits for its label gets it. */
  handedOver(channel: RTCDataChannel): void {
    const waiter = this.waiters.get(channel.label);
    this.waiters.delete(channel.label);
    waiter?.(channel);
  }
}

/** Resolves once the channel is open; rejects if it closes first. */
export function whenOpen(channel: RTCDataChannel, signal: AbortSignal): Promise<void> {
  if (channel.readyState === "open") return Promise.resolve();
  return new Promise((resolve, reject) => {
    channel.addEventListener("open", () => resolve(), { once: true, signal });
    channel.addEventListener(
      "close",
      () => reject(new LabError("cancelled", `Channel "${channel.label}" closed before it opened.`)),
      { once: true, signal },
    );
  });
}
