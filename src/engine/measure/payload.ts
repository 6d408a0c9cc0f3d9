// The contents of throughput-run messages: each carries its sequence number and a body derived
// from it, so the receiver can check every byte on the fly and keep nothing. Built for the hot
// loop: the sender rewrites one reusable buffer (send() copies it), the receiver compares 32-bit
// words, and neither allocates per message beyond what send() and the message event need.

/** What check() returns for a message that is not an intact run message. */
export const CORRUPTED = -1;

export interface Payload {
  readonly size: number;
  /**
   * How many distinct sequence numbers the header can hold: 2^32 normally, fewer for messages too
   * small for a full header (a 1-byte message counts modulo 256).
   */
  readonly modulus: number;
  /** The message for sequence number seq, ready for send(); valid until the next make(). */
  make(seq: number): ArrayBuffer | string;
  /** The sequence number modulo `modulus` of an intact message, or CORRUPTED. */
  check(data: unknown): number;
}

export function payloadFor(size: number, binary: boolean): Payload {
  return binary ? new BinaryPayload(size) : new TextPayload(size);
}

/** A fixed pseudo-random sequence (xorshift32): the body looks like data, not like a run of one byte. */
function pattern(length: number, seed: number): Uint32Array {
  const out = new Uint32Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  return out;
}

/**
 * Word 0 holds the sequence number; every further word is the fixed pattern XOR the sequence
 * number, and trailing bytes likewise with its low byte, so no two messages have the same body.
 * Native byte order is fine: both ends are in this page.
 */
export class BinaryPayload implements Payload {
  readonly modulus: number;
  private readonly buffer: ArrayBuffer;
  // Signed views: XOR yields int32, so comparisons need no conversion.
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly wordPattern: Int32Array;
  private readonly bytePattern: Uint8Array;
  private readonly wordCount: number;
  private readonly headerBytes: number;

  constructor(readonly size: number) {
    this.buffer = new ArrayBuffer(size);
    this.wordCount = size >>> 2;
    this.headerBytes = Math.min(4, size);
    this.modulus = 2 ** (8 * this.headerBytes);
    this.words = new Int32Array(this.buffer, 0, this.wordCount);
    this.bytes = new Uint8Array(this.buffer);
    this.wordPattern = new Int32Array(pattern(this.wordCount, 0x9e3779b9).buffer);
    this.bytePattern = new Uint8Array(pattern(4, 0x85ebca6b).buffer);
  }

  make(seq: number): ArrayBuffer {
    const { words, wordPattern, wordCount, bytes, size } = this;
    if (wordCount > 0) {
      const s = seq | 0;
      words[0] = s;
      for (let i = 1; i < wordCount; i++) words[i] = (wordPattern[i] as number) ^ s;
      const low = s & 0xff;
      for (let j = wordCount << 2; j < size; j++) bytes[j] = (this.bytePattern[j & 3] as number) ^ low;
    } else {
      // Too small for a word: the bytes are the low bytes of the sequence number and nothing else.
      for (let j = 0; j < size; j++) bytes[j] = (seq >>> (8 * j)) & 0xff;
    }
    return this.buffer;
  }

  check(data: unknown): number {
    if (!(data instanceof ArrayBuffer) || data.byteLength !== this.size) return CORRUPTED;
    const { wordCount, wordPattern, size } = this;
    if (wordCount === 0) {
      const bytes = new Uint8Array(data);
      let residue = 0;
      for (let j = 0; j < size; j++) residue += (bytes[j] as number) * 2 ** (8 * j);
      return residue;
    }
    const words = new Int32Array(data, 0, wordCount);
    const s = words[0] as number;
    for (let i = 1; i < wordCount; i++) if (words[i] !== ((wordPattern[i] as number) ^ s)) return CORRUPTED;
    if (size > wordCount << 2) {
      const bytes = new Uint8Array(data);
      const low = s & 0xff;
      for (let j = wordCount << 2; j < size; j++)
        if (bytes[j] !== ((this.bytePattern[j & 3] as number) ^ low)) return CORRUPTED;
    }
    return s >>> 0;
  }
}

const HEX_DIGITS = 8;
const TEXT_BODIES = 16;

/**
 * Text messages are ASCII, so characters and UTF-8 bytes agree: up to 8 hex digits of the
 * sequence number, then one of 16 printable bodies chosen by its low 4 bits.
 */
export class TextPayload implements Payload {
  readonly modulus: number;
  private readonly headerChars: number;
  private readonly bodies: string[];

  constructor(readonly size: number) {
    this.headerChars = Math.min(HEX_DIGITS, size);
    this.modulus = 16 ** this.headerChars;
    const length = size - this.headerChars;
    // The 16 bodies are windows onto one string of printable ASCII (0x21..0x7e: never a character
    // UTF-8 would widen), so they differ yet take the memory of one body, even for 16 MiB messages.
    const codes = new Uint8Array(pattern(Math.ceil((length + TEXT_BODIES) / 4), 0x27d4eb2d).buffer);
    const printable = new Uint8Array(length + TEXT_BODIES);
    for (let i = 0; i < printable.length; i++) printable[i] = 0x21 + ((codes[i] as number) % 94);
    const all = new TextDecoder().decode(printable);
    this.bodies = Array.from({ length: TEXT_BODIES }, (_, k) => all.substring(k, k + length));
  }

  make(seq: number): string {
    const header = (seq % this.modulus).toString(16).padStart(this.headerChars, "0");
    return header + (this.bodies[seq & (TEXT_BODIES - 1)] as string);
  }

  check(data: unknown): number {
    if (typeof data !== "string" || data.length !== this.size) return CORRUPTED;
    let residue = 0;
    for (let i = 0; i < this.headerChars; i++) {
      const digit = hexValue(data.charCodeAt(i));
      if (digit < 0) return CORRUPTED;
      residue = residue * 16 + digit;
    }
    return data.startsWith(this.bodies[residue & (TEXT_BODIES - 1)] as string, this.headerChars)
      ? residue
      : CORRUPTED;
  }
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
