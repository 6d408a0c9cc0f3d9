// The diagnosis's headline throughput against the rate a long run settles at: the bench part that
// says whether the figure the verdict quotes is the browser's sustained rate.

import type { ThroughputResult } from "../contract/automation";
import { lab } from "../contract/lab-client";
import { howSteady } from "../format/steady-rate";
import { rate } from "../format/units";
import { median } from "./bench-figures";
import type { PanelFrame } from "./panel-frame";

/** The diagnosis's headline against a 10 s run's second half: this many rounds, judged on the median ratio. */
const HEADLINE_ROUNDS = Math.max(3, Number(process.env.BENCH_HEADLINE_ROUNDS ?? 7));
const LONG_RUN_MS = 10_000;
export const HEADLINE_BAR = 0.1;

/** Bytes per second over the intervals that start at or after `fromMs` and end by `toMs`. */
function rateBetween(r: ThroughputResult, fromMs: number, toMs: number): number {
  let bytes = 0;
  let start = -1;
  let end = 0;
  let previous = 0;
  for (const interval of r.intervals) {
    if (previous >= fromMs && interval.t <= toMs) {
      if (start < 0) start = previous;
      bytes += interval.bytes;
      end = interval.t;
    }
    previous = interval.t;
  }
  return end > start && start >= 0 ? (bytes * 1000) / (end - start) : 0;
}

/**
 * The diagnosis's headline (its steady rate, on a fresh connection of its own) against the rate of
 * the second half of a 10 s run at the same message size right after it, also on a fresh
 * connection, round by round.
 */
export async function headlineAgainstLongRun(name: string, frame: PanelFrame): Promise<number> {
  console.log(
    `\n${name}: the diagnosis's headline throughput against the second half of a ${LONG_RUN_MS / 1000} s run right after it (same message size)`,
  );
  const ratios: number[] = [];
  const diagnose = async () => {
    const report = await lab(frame).call("runDiagnosis");
    const t = report.throughput;
    if (!t?.steady) throw new Error(`The diagnosis measured no throughput: ${report.headline}`);
    return { ...t, steady: t.steady };
  };
  const longRun = async (messageSize: number) => {
    // A fresh connection, as the diagnosis has.
    await lab(frame).call("disconnect");
    await lab(frame).call("connect");
    const long: ThroughputResult = await lab(frame).call("runThroughput", {
      messageSize,
      durationMs: LONG_RUN_MS,
    });
    return rateBetween(long, LONG_RUN_MS / 2, LONG_RUN_MS);
  };
  // The diagnosis picks the message size; which of the two goes first alternates, so drift hits both alike.
  const size = (await diagnose()).settings.messageSize;
  for (let round = 0; round < HEADLINE_ROUNDS; round++) {
    let secondHalf = 0;
    if (round % 2 === 1) secondHalf = await longRun(size);
    const t = await diagnose();
    if (round % 2 === 0) secondHalf = await longRun(size);
    const ratio = t.steady.bytesPerSecond / secondHalf;
    ratios.push(ratio);
    console.log(
      `  round ${round + 1}${round % 2 ? " (10 s run first)" : ""}: headline ${rate(t.steady.bytesPerSecond).padStart(11)} (${howSteady(t.steady, t.settings.messageSize)}, run ${(t.durationMs / 1000).toFixed(1)} s; whole run ${rate(t.bytesPerSecond)})  10 s run's second half ${rate(secondHalf).padStart(11)}  ratio ${ratio.toFixed(3)}`,
    );
  }
  const ratio = median(ratios);
  const ok = Math.abs(ratio - 1) <= HEADLINE_BAR;
  console.log(
    `  median ratio ${ratio.toFixed(3)} (bar: within ${HEADLINE_BAR * 100}% of 1) ${ok ? "PASS" : "FAIL"}`,
  );
  return ratio;
}
