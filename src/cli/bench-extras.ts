// The bench's figures that are printed, not judged: the panel's throughput by message size, the
// round-trip latency, and the JS heap around a long run.
import type { CDPSession } from "puppeteer-core";
import type { LatencyResult, ThroughputResult } from "../contract/automation";
import { lab } from "../contract/lab-client";
import { bytes, messageSize, rate } from "../format/units";
import { msgs, panelRun } from "./bench-figures";
import type { PanelFrame } from "./panel-frame";

const TABLE_RUN_MS = 2000;
const HEAP_RUN_MS = 30_000;
const LATENCY_SAMPLES = 500;
/**
 * Largest size in the table. Firefox announces 1 GiB messages, but on loopback Firefox 153 never
 * sends one of 12 MiB or more (it stays queued; 8 MiB goes out), so the table stops at 4 MiB.
 */
const TABLE_MAX = 4 * 1024 * 1024;

export async function sizeTable(name: string, frame: PanelFrame, maxMessageSize: number): Promise<void> {
  console.log(
    `\n${name}: panel throughput by message size (${TABLE_RUN_MS / 1000} s each, binary, reliable, ordered; MB/s = 10^6 bytes/s)`,
  );
  console.log(`  ${"size".padStart(8)} ${"throughput".padStart(12)} ${"messages".padStart(13)}  intact`);
  for (let size = 1024; size <= Math.min(maxMessageSize, TABLE_MAX); size *= 4) {
    const r: ThroughputResult = await lab(frame).call("runThroughput", {
      messageSize: size,
      durationMs: TABLE_RUN_MS,
    });
    const intact =
      r.lost + r.outOfOrder + r.corrupted === 0
        ? "yes"
        : `NO (${r.lost} lost, ${r.outOfOrder} late, ${r.corrupted} corrupted)`;
    console.log(
      `  ${messageSize(size).padStart(8)} ${rate(r.bytesPerSecond).padStart(12)} ${msgs(r.messagesPerSecond).padStart(13)}  ${intact}`,
    );
  }
  if (maxMessageSize > TABLE_MAX) {
    console.log(
      `  (the connection's maximum is ${maxMessageSize.toLocaleString("en")} B; the table stops at ${messageSize(TABLE_MAX)}: Firefox leaves single messages of 12 MiB or more queued forever)`,
    );
  }
}

export async function latency(name: string, frame: PanelFrame): Promise<void> {
  const l: LatencyResult = await lab(frame).call("runLatency", { samples: LATENCY_SAMPLES });
  console.log(
    `\n${name}: round-trip latency over ${l.samples} samples: p50 ${l.p50Ms.toFixed(2)} ms, p95 ${l.p95Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, max ${l.maxMs.toFixed(2)} ms (timer resolution ${l.resolutionMs} ms)`,
  );
}

export async function heapAroundLongRun(
  name: string,
  frame: PanelFrame,
  devtools: CDPSession | null,
): Promise<void> {
  // Collect garbage first (through the DevTools protocol, where there is one), so the figures are
  // what the panel holds on to, not what it has yet to free.
  const heap = async () => {
    if (!devtools) return null;
    await devtools.send("HeapProfiler.collectGarbage");
    const memory = await frame.evaluate(
      () =>
        (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
    );
    const { usedSize } = await devtools.send("Runtime.getHeapUsage");
    return memory === null ? null : { memory, usedSize };
  };
  const before = await heap();
  const long = await panelRun(frame, 65_536, HEAP_RUN_MS);
  const after = await heap();
  if (before === null || after === null) {
    console.log(
      `${name}: JS heap before/after a ${HEAP_RUN_MS / 1000} s run: not available (no performance.memory); the run went at ${rate(long.bytesPerSecond)}.`,
    );
  } else {
    console.log(
      `${name}: JS heap before/after a ${HEAP_RUN_MS / 1000} s run at ${rate(long.bytesPerSecond)}, after garbage collection: performance.memory ${bytes(before.memory)} → ${bytes(after.memory)} (Chrome rounds it); exact heap use ${bytes(before.usedSize)} → ${bytes(after.usedSize)}`,
    );
  }
}
