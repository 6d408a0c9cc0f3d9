import { describe, expect, it } from "vitest";
import { howSteady } from "../../../src/format/steady-rate";
import { messageSize } from "../../../src/format/units";

describe("howSteady", () => {
  it("names the ramp-up and the message size", () => {
    expect(howSteady({ reached: true, fromMs: 500.5, toMs: 3750 }, 262_144)).toBe(
      "steady after 501 ms of ramp-up, 256 KiB messages",
    );
  });

  it("says a rate steady at once was steady from the start, not after 0.00 ms", () => {
    expect(howSteady({ reached: true, fromMs: 0, toMs: 3006 }, 262_144)).toBe(
      "steady from the start, 256 KiB messages",
    );
  });

  it("says a rate that never settled is the run's later part, and which", () => {
    expect(howSteady({ reached: false, fromMs: 4000, toMs: 8000 })).toBe(
      "never steady, so the run's later part (4000 ms to 8000 ms)",
    );
  });

  it("says the whole run, not its 'later part from 0.00 ms', where too few messages arrived for one", () => {
    expect(howSteady({ reached: false, fromMs: 0, toMs: 21_323 })).toBe(
      "never steady, so the whole run (to 21323 ms)",
    );
  });
});

describe("messageSize", () => {
  it("uses KiB and MiB where the size is a whole number of them, exact bytes otherwise", () => {
    expect([65_536, 1 << 20, 1200, 1536, 16].map(messageSize)).toEqual([
      "64 KiB",
      "1 MiB",
      "1,200 B",
      "1,536 B",
      "16 B",
    ]);
  });
});
