import { describe, expect, it } from "vitest";
import { BinaryPayload, CORRUPTED, payloadFor, TextPayload } from "../../../../src/engine/measure/payload";

const copy = (data: ArrayBuffer | string) => (typeof data === "string" ? data : data.slice(0));

describe("message payloads", () => {
  for (const size of [1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024, 65536]) {
    for (const binary of [true, false]) {
      it(`${binary ? "binary" : "text"} ${size} B: carries its sequence number and checks intact`, () => {
        const p = payloadFor(size, binary);
        for (const seq of [0, 1, 255, 256, 65_537, 2 ** 31 + 5]) {
          const data = copy(p.make(seq));
          expect(typeof data === "string" ? data.length : data.byteLength).toBe(size);
          expect(p.check(data)).toBe(seq % p.modulus);
        }
      });
    }
  }

  it("text payloads are ASCII, so their UTF-8 size is their length", () => {
    const data = new TextPayload(4096).make(12345);
    expect(new TextEncoder().encode(data).byteLength).toBe(4096);
  });

  it("binary: any changed byte, a wrong length or the wrong type reads as corrupted", () => {
    const p = new BinaryPayload(1027);
    const good = copy(p.make(42)) as ArrayBuffer;
    for (const at of [0, 4, 600, 1024, 1026]) {
      const bad = good.slice(0);
      const bytes = new Uint8Array(bad);
      bytes[at] = (bytes[at] as number) ^ 1;
      expect(p.check(bad), `byte ${at}`).toBe(CORRUPTED);
    }
    expect(p.check(good.slice(0, 1026))).toBe(CORRUPTED);
    expect(p.check("text")).toBe(CORRUPTED);
    // Another message's body under this header: corrupted, not a valid message.
    const other = copy(p.make(43)) as ArrayBuffer;
    new Uint32Array(other, 0, 1)[0] = 42;
    expect(p.check(other)).toBe(CORRUPTED);
  });

  it("text: a changed character, a bad header or binary data reads as corrupted", () => {
    const p = new TextPayload(100);
    const good = p.make(7);
    const changed = `${good.slice(0, 50)}${good[50] === "#" ? "$" : "#"}${good.slice(51)}`;
    expect(p.check(changed)).toBe(CORRUPTED);
    expect(p.check(`zz${good.slice(2)}`)).toBe(CORRUPTED);
    expect(p.check(good.slice(1))).toBe(CORRUPTED);
    expect(p.check(new ArrayBuffer(100))).toBe(CORRUPTED);
    // Header of message 8 on the body of message 7.
    expect(p.check(`00000008${good.slice(8)}`)).toBe(CORRUPTED);
  });

  it("the sender reuses one buffer: make() allocates nothing per message", () => {
    const p = new BinaryPayload(64);
    expect(p.make(1)).toBe(p.make(2));
  });
});
