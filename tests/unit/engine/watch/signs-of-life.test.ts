import { describe, expect, it } from "vitest";
import { PATH_READ_MS, SignsOfLife } from "../../../../src/engine/watch/signs-of-life";

function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("SignsOfLife", () => {
  it("keeps the latest sign, whoever gave it", () => {
    const c = clock();
    const life = new SignsOfLife(async () => null, c.now);
    expect(life.lastSignAt).toBe(Number.NEGATIVE_INFINITY);
    life.saw(1200);
    life.saw(1100);
    expect(life.lastSignAt).toBe(1200);
  });

  it("counts a growing transport counter as a sign, and its first reading as none", async () => {
    const c = clock();
    let bytes = 100;
    const life = new SignsOfLife(async () => bytes, c.now);
    await life.read();
    expect(life.lastSignAt).toBe(Number.NEGATIVE_INFINITY);
    c.advance(500);
    await life.read();
    expect(life.lastSignAt).toBe(Number.NEGATIVE_INFINITY);
    bytes = 300;
    c.advance(500);
    await life.read();
    expect(life.lastSignAt).toBe(2000);
  });

  it("reads the counter only after a quiet spell, and not twice within PATH_READ_MS", async () => {
    const c = clock();
    let reads = 0;
    const life = new SignsOfLife(async () => {
      reads++;
      return 0;
    }, c.now);
    life.saw(c.now());
    life.poll();
    expect(reads).toBe(0);
    c.advance(PATH_READ_MS);
    life.poll();
    await life.read();
    expect(reads).toBe(1);
    life.poll();
    expect(reads).toBe(1);
  });
});
