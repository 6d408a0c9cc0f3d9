// Sends, closes and bufferedamountlow listeners, counted on RTCDataChannel's prototype for the
// channels of every recorded connection. Errors pass through as they are; the functions keep their
// names and lengths.
import { MAX_TEXT, type RecorderState, sizeOf } from "./recorder-state";

/** Wraps the prototype's methods; returns what puts the page's own back (where the page did not replace them since). */
export function wrapChannelPrototype(state: RecorderState, channelProto: RTCDataChannel): () => void {
  const before = ["send", "close", "addEventListener"].map(
    (name) => [name, Object.getOwnPropertyDescriptor(channelProto, name)] as const,
  );
  const ours = new Map<string, unknown>();
  const nativeSend = channelProto.send;
  const nativeClose = channelProto.close;
  const nativeChannelAdd = channelProto.addEventListener;
  const patch = (name: string, fn: (...args: never[]) => unknown, original: { length: number }) => {
    Object.defineProperty(fn, "name", { value: name });
    Object.defineProperty(fn, "length", { value: original.length });
    ours.set(name, fn);
    Object.defineProperty(channelProto, name, {
      value: fn,
      writable: true,
      configurable: true,
      enumerable: true,
    });
  };
  patch(
    "send",
    function send(this: RTCDataChannel, data: never) {
      const rec = state.channelsByObject.get(this);
      try {
        nativeSend.call(this, data);
      } catch (error) {
        if (rec) {
          rec.sendErrors++;
          rec.lastSendError = `${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, MAX_TEXT);
        }
        throw error;
      }
      if (rec) {
        rec.messagesSent++;
        rec.bytesSent += sizeOf(data);
        if (this.bufferedAmount > rec.bufferedAmountPeak) rec.bufferedAmountPeak = this.bufferedAmount;
      }
    },
    nativeSend,
  );
  patch(
    "close",
    function close(this: RTCDataChannel) {
      const rec = state.channelsByObject.get(this);
      if (rec) rec.closedLocally = true;
      return nativeClose.call(this);
    },
    nativeClose,
  );
  patch(
    "addEventListener",
    function addEventListener(this: RTCDataChannel, ...args: Parameters<EventTarget["addEventListener"]>) {
      const rec = state.channelsByObject.get(this);
      if (rec && args[0] === "bufferedamountlow") rec.waitsForLow = true;
      return nativeChannelAdd.apply(this, args as Parameters<RTCDataChannel["addEventListener"]>);
    },
    nativeChannelAdd,
  );
  return () => {
    for (const [name, descriptor] of before) {
      const current = Object.getOwnPropertyDescriptor(channelProto, name);
      if (current?.value !== ours.get(name)) continue;
      if (descriptor) Object.defineProperty(channelProto, name, descriptor);
      else delete (channelProto as unknown as Record<string, unknown>)[name];
    }
  };
}
