import { describe, expect, it } from "vitest";
import { byteLengthOf, RateWindow, utf8Length } from "../../../../src/engine/core/rates";

describe("RateWindow", () => {
  it("is zero before two samples", () => {
    const w = new RateWindow(1000);
    expect(w.add({ t: 0, messages: 0, bytes: 0 })).toEqual({ messagesPerSecond: 0, bytesPerSecond: 0 });
  });

  it("measures per second over the last window, not since the start", () => {
    const w = new RateWindow(1000);
    w.add({ t: 0, messages: 0, bytes: 0 });
    w.add({ t: 500, messages: 50, bytes: 5000 });
    expect(w.add({ t: 1000, messages: 100, bytes: 10_000 })).toEqual({
      messagesPerSecond: 100,
      bytesPerSecond: 10_000,
    });
    // A stall: nothing more arrives, and the rate falls as the window slides past the traffic.
    w.add({ t: 1500, messages: 100, bytes: 10_000 });
    expect(w.add({ t: 2000, messages: 100, bytes: 10_000 })).toEqual({
      messagesPerSecond: 0,
      bytesPerSecond: 0,
    });
  });

  it("starts over on reset", () => {
    const w = new RateWindow(1000);
    w.add({ t: 0, messages: 0, bytes: 0 });
    w.add({ t: 1000, messages: 10, bytes: 10 });
    w.reset();
    expect(w.rate()).toEqual({ messagesPerSecond: 0, bytesPerSecond: 0 });
  });
});

describe("byteLengthOf", () => {
  it("counts UTF-8 bytes of text", () => {
    expect(byteLengthOf("abc")).toBe(3);
    expect(byteLengthOf("é")).toBe(2);
    expect(byteLengthOf("🙂")).toBe(4);
    expect(byteLengthOf("שלום")).toBe(8);
  });
  it("counts binary payloads by their length", () => {
    expect(byteLengthOf(new ArrayBuffer(7))).toBe(7);
    expect(byteLengthOf(new Uint8Array(5))).toBe(5);
    expect(byteLengthOf(new Blob(["1234"]))).toBe(4);
  });
});

describe("utf8Length", () => {
  it("agrees with TextEncoder, lone surrogates included", () => {
    const encoder = new TextEncoder();
    for (const text of [
      "",
      "plain",
      "ü",
      "€",
      "🙂👩‍👩‍👧",
      "\uD800",
      "a\uDC00b",
      "\uD83D",
      "x\uD83D\uDE42y",
      "שלום عربي",
    ]) {
      expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
    }
  });
});
