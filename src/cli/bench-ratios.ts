// The panel's throughput run against a minimal hand-written send loop of the same message size in the
// same page, round by round, with how long the main thread was blocked during each.

import { messageSize, rate } from "../format/units";
import { median, msgs, panelRun, task } from "./bench-figures";
import { type Measured, referenceRun } from "./bench-reference";
import type { PanelFrame } from "./panel-frame";

// Seven rounds by default: on a shared two-core machine single runs swing widely, medians less so.
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 7));
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 3000);
export const BARS = { bytes64k: 0.95, messages1k: 0.9 } as const;

export interface LoopRatios {
  bytes64k: number;
  messages1k: number;
  /** Each run's longest main-thread task, median over the runs; null where it cannot be observed. */
  longestPanel: number | null;
  longestLoop: number | null;
}

type Runs = { panel64: Measured[]; loop64: Measured[]; panel1: Measured[]; loop1: Measured[] };

export async function panelAgainstLoop(name: string, frame: PanelFrame): Promise<LoopRatios> {
  // One untimed run of each first: the first run of anything pays for compiling and first-use setup.
  for (const size of [65_536, 1024]) {
    await panelRun(frame, size, 1000);
    await referenceRun(frame, size, 1000);
  }
  const runs: Runs = { panel64: [], loop64: [], panel1: [], loop1: [] };
  for (let round = 0; round < ROUNDS; round++) await oneRound(frame, round, runs);
  const med = (list: Measured[], key: "bytesPerSecond" | "messagesPerSecond") =>
    median(list.map((m) => m[key]));
  const bytes64k = med(runs.panel64, "bytesPerSecond") / med(runs.loop64, "bytesPerSecond");
  const messages1k = med(runs.panel1, "messagesPerSecond") / med(runs.loop1, "messagesPerSecond");
  // Each run's longest task; judged on their median, since on a shared machine one descheduled
  // moment can hit either side. The overall maximum is printed as well.
  const panelTasks = longestOf([runs.panel64, runs.panel1]);
  const loopTasks = longestOf([runs.loop64, runs.loop1]);
  const longestPanel = panelTasks?.median ?? null;
  const longestLoop = loopTasks?.median ?? null;
  console.log(`\n${name}: medians of ${ROUNDS} rounds of ${RUN_MS / 1000} s each`);
  console.log(
    `  64 KiB bytes/s:    panel ${rate(med(runs.panel64, "bytesPerSecond"))}, loop ${rate(med(runs.loop64, "bytesPerSecond"))}, ratio ${bytes64k.toFixed(3)} (bar ≥ ${BARS.bytes64k}) ${bytes64k >= BARS.bytes64k ? "PASS" : "FAIL"}`,
  );
  console.log(
    `  1 KiB messages/s:  panel ${msgs(med(runs.panel1, "messagesPerSecond"))}, loop ${msgs(med(runs.loop1, "messagesPerSecond"))}, ratio ${messages1k.toFixed(3)} (bar ≥ ${BARS.messages1k}) ${messages1k >= BARS.messages1k ? "PASS" : "FAIL"}`,
  );
  if (longestPanel === null || longestLoop === null)
    console.log("  Longest main-thread task: not available in this browser (no long-task observer).");
  else {
    const ok = longestPanel <= longestLoop + 50;
    console.log(
      `  Longest main-thread task per run, median: panel ${task(longestPanel)}, loop ${task(longestLoop)} (bar: panel ≤ loop + 50 ms) ${ok ? "PASS" : "FAIL"}; maximum over all runs: panel ${task(panelTasks?.max ?? null)}, loop ${task(loopTasks?.max ?? null)}`,
    );
  }
  return { bytes64k, messages1k, longestPanel, longestLoop };
}

/** Panel and loop alternate, and which goes first alternates by round, so drift hits both alike. */
async function oneRound(frame: PanelFrame, round: number, runs: Runs): Promise<void> {
  for (const [size, panelKey, loopKey] of [
    [65_536, "panel64", "loop64"],
    [1024, "panel1", "loop1"],
  ] as const) {
    const order = round % 2 === 0 ? (["panel", "loop"] as const) : (["loop", "panel"] as const);
    for (const who of order) {
      const m =
        who === "panel" ? await panelRun(frame, size, RUN_MS) : await referenceRun(frame, size, RUN_MS);
      runs[who === "panel" ? panelKey : loopKey].push(m);
      console.log(
        `  round ${round + 1} ${messageSize(size).padStart(6)} ${who.padEnd(5)} ${rate(m.bytesPerSecond).padStart(12)} ${msgs(m.messagesPerSecond).padStart(13)}  longest task: ${task(m.longestTaskMs)}`,
      );
    }
  }
}

function longestOf(lists: Measured[][]): { median: number; max: number } | null {
  const values = lists.flat().map((m) => m.longestTaskMs);
  if (values.some((v) => v === null)) return null;
  return { median: median(values as number[]), max: Math.max(...(values as number[])) };
}
