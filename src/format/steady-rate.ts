// How a headline throughput was found, in the same words in the verdict, the diagnosis step, the
// summary and the panel: a rate without its ramp-up and message size invites the wrong comparison.
import type { SteadyRate } from "../engine/measure/steady-state";
import { messageSize, milliseconds } from "./units";

/** The parts of a steady rate these words need. */
export type SteadyWindow = Pick<SteadyRate, "reached" | "fromMs" | "toMs">;

/**
 * "steady after 501 ms of ramp-up, 256 KiB messages", "steady from the start, 256 KiB messages",
 * "never steady, so the run's later part (2000 ms to 4000 ms), 256 KiB messages", or "never steady,
 * so the whole run (to 21323 ms), …" where too few messages arrived for a later part alone.
 */
export function howSteady(s: SteadyWindow, size?: number): string {
  // Too few messages for a later part alone (a slow link): then the window is the whole run.
  const how = !s.reached
    ? s.fromMs > 0
      ? `never steady, so the run's later part (${milliseconds(s.fromMs)} to ${milliseconds(s.toMs)})`
      : `never steady, so the whole run (to ${milliseconds(s.toMs)})`
    : s.fromMs > 0
      ? `steady after ${milliseconds(s.fromMs)} of ramp-up`
      : "steady from the start";
  return size === undefined ? how : `${how}, ${messageSize(size)} messages`;
}
