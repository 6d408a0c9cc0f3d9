// Per-second rates from cumulative counters sampled over time: the rate is the change over the
// last window, not an average since the start, so a stall shows as a drop at once.

export interface RateSample {
  t: number;
  messages: number;
  bytes: number;
}

export interface Rate {
  messagesPerSecond: number;
  bytesPerSecond: number;
}

export class RateWindow {
  private samples: RateSample[] = [];

  constructor(private readonly windowMs = 1000) {}

  add(sample: RateSample): Rate {
    this.samples.push(sample);
    // Keep one sample at or before the window's start, so the window is always fully covered.
    while (this.samples.length > 2 && (this.samples[1]?.t ?? 0) <= sample.t - this.windowMs)
      this.samples.shift();
    return this.rate();
  }

  rate(): Rate {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t <= first.t) return { messagesPerSecond: 0, bytesPerSecond: 0 };
    const seconds = (last.t - first.t) / 1000;
    return {
      messagesPerSecond: (last.messages - first.messages) / seconds,
      bytesPerSecond: (last.bytes - first.bytes) / seconds,
    };
  }

  reset(): void {
    this.samples = [];
  }
}

/** Bytes a message occupies on the wire: UTF-8 for text, byteLength for binary. */
export function byteLengthOf(data: string | ArrayBuffer | ArrayBufferView | Blob): number {
  if (typeof data === "string") return utf8Length(data);
  if (data instanceof Blob) return data.size;
  return data.byteLength;
}

/** UTF-8 length without encoding: a 1 GiB message must not cost another 1 GiB to measure. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A surrogate pair is one 4-byte character; a lone surrogate becomes U+FFFD (3 bytes).
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
