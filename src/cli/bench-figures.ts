// What every part of the bench shares: the panel's own throughput run as the bench measures it, the
// median it judges by, and how figures are printed.

import type { ThroughputResult } from "../contract/automation";
import { lab } from "../contract/lab-client";
import { type Measured, readLongest, resetLongest } from "./bench-reference";
import type { PanelFrame } from "./panel-frame";

export async function panelRun(
  frame: PanelFrame,
  messageSize: number,
  durationMs: number,
): Promise<Measured> {
  await resetLongest(frame);
  const r: ThroughputResult = await lab(frame).call("runThroughput", { messageSize, durationMs });
  if (r.cancelled) throw new Error(`The panel's run was cancelled: ${r.cancelReason}`);
  return {
    bytesPerSecond: r.bytesPerSecond,
    messagesPerSecond: r.messagesPerSecond,
    longestTaskMs: await readLongest(frame),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const msgs = (perSecond: number) => `${Math.round(perSecond).toLocaleString("en")} msg/s`;
export const task = (ms: number | null) =>
  ms === null ? "not observable" : ms === 0 ? "none over 50 ms" : `${ms.toFixed(0)} ms`;
