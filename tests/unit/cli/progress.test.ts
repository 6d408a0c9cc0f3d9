import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Progress } from "../../../src/cli/progress";

function logProgress() {
  let now = 0;
  const lines: string[] = [];
  const progress = new Progress({
    quiet: false,
    interactive: false,
    write: (text) => lines.push(text.trimEnd()),
    now: () => now,
  });
  const at = (ms: number) => {
    now = ms;
    // The next beat of its 250 ms timer; a log gets a line if HEARTBEAT_MS have passed.
    vi.advanceTimersByTime(250);
  };
  return { progress, lines, at };
}

describe("Progress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("says how long of at most how long, for a bound that holds", () => {
    const { progress, lines, at } = logProgress();
    progress.waitFor("opening the panel", 90_000);
    at(2000);
    progress.done();
    expect(lines).toEqual(["opening the panel …", "opening the panel: waiting 2.0 s of at most 90 s"]);
  });

  it("says where a bound that scales holds, and why the wait went past it", () => {
    const { progress, lines, at } = logProgress();
    progress.waitFor("throughput", 13_000, {
      within: "on a fast link",
      past: "a slow link is still draining",
    });
    at(2000);
    at(20_000);
    progress.done();
    expect(lines).toEqual([
      "throughput …",
      "throughput: waiting 2.0 s of at most 13 s on a fast link",
      "throughput: waiting 20.0 s, past 13 s: a slow link is still draining",
    ]);
  });
});
