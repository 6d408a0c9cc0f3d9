// The bench's yardsticks, run in the same page as the panel: a minimal hand-written send loop
// (about the least code that measures loopback throughput with the same backpressure), and a
// long-task observer for how long the main thread was blocked during a run.

import { HIGH_WATER_MARK, LOW_WATER_MARK } from "../engine/measure/throughput-options";
import type { PanelFrame } from "./panel-frame";

export interface Measured {
  bytesPerSecond: number;
  messagesPerSecond: number;
  /** Longest main-thread task during the run in ms (0: none over 50 ms); null where long tasks are not observable. */
  longestTaskMs: number | null;
}

declare global {
  interface Window {
    __bench?: { longest: number; observing: boolean };
    __reference?: {
      a: RTCPeerConnection;
      waiting: Map<string, (channel: RTCDataChannel) => void>;
      runs: number;
    };
  }
}

/** Records the longest main-thread task in the frame, where the browser reports long tasks at all. */
export async function observeLongTasks(frame: PanelFrame): Promise<boolean> {
  return frame.evaluate(() => {
    const bench = { longest: 0, observing: false };
    window.__bench = bench;
    if (
      typeof PerformanceObserver === "undefined" ||
      !PerformanceObserver.supportedEntryTypes?.includes("longtask")
    )
      return false;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longest = Math.max(bench.longest, entry.duration);
    }).observe({ type: "longtask" });
    bench.observing = true;
    return true;
  });
}

export const resetLongest = (frame: PanelFrame) =>
  frame.evaluate(() => {
    if (window.__bench) window.__bench.longest = 0;
  });
export const readLongest = (frame: PanelFrame): Promise<number | null> =>
  frame.evaluate(async () => {
    // Long-task entries are delivered after the task: give the observer a moment.
    await new Promise((r) => setTimeout(r, 50));
    return window.__bench?.observing ? window.__bench.longest : null;
  });

/**
 * The reference's two peer connections, made once per browser like the panel's session, so both
 * send over an association that has run before (a fresh one starts slow) on a fresh channel per run.
 */
export async function connectReference(frame: PanelFrame): Promise<void> {
  await frame.evaluate(async () => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    const waiting = new Map<string, (channel: RTCDataChannel) => void>();
    b.ondatachannel = (e) => waiting.get(e.channel.label)?.(e.channel);
    const first = new Promise<RTCDataChannel>((resolve) => waiting.set("reference-0", resolve));
    a.createDataChannel("reference-0");
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription as RTCSessionDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription as RTCSessionDescription);
    await first;
    window.__reference = { a, waiting, runs: 0 };
  });
}

/**
 * The reference: about the least code that measures loopback throughput with the same backpressure
 * (same high-water mark and bufferedAmountLowThreshold), one reused buffer, and a receiver that
 * only counts. Channel setup happens before the clock starts.
 */
export async function referenceRun(
  frame: PanelFrame,
  messageSize: number,
  durationMs: number,
): Promise<Measured> {
  await resetLongest(frame);
  const r = await frame.evaluate(
    async (size, ms, high, low) => {
      const ref = window.__reference;
      if (!ref) throw new Error("connectReference() first");
      const { a, waiting } = ref;
      const label = `reference-${++ref.runs}`;
      const arrived = new Promise<RTCDataChannel>((resolve) => waiting.set(label, resolve));
      const tx = a.createDataChannel(label);
      const rx = await arrived;
      rx.binaryType = "arraybuffer";
      if (tx.readyState !== "open")
        await new Promise((resolve) => tx.addEventListener("open", resolve, { once: true }));
      if (rx.readyState !== "open")
        await new Promise((resolve) => rx.addEventListener("open", resolve, { once: true }));
      const buffer = new ArrayBuffer(size);
      let sent = 0;
      let bytes = 0;
      let messages = 0;
      let last = 0;
      let sending = true;
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        done = resolve;
      });
      rx.onmessage = (e) => {
        bytes += (e.data as ArrayBuffer).byteLength;
        messages++;
        last = performance.now();
        if (!sending && messages === sent) done();
      };
      const fill = () => {
        while (sending && tx.bufferedAmount <= high) {
          tx.send(buffer);
          sent++;
        }
      };
      tx.bufferedAmountLowThreshold = low;
      tx.onbufferedamountlow = fill;
      const t0 = performance.now();
      setTimeout(() => {
        sending = false;
        if (messages === sent) done();
      }, ms);
      fill();
      await finished;
      tx.close();
      rx.close();
      const seconds = (last - t0) / 1000;
      return { bytesPerSecond: bytes / seconds, messagesPerSecond: messages / seconds };
    },
    messageSize,
    durationMs,
    HIGH_WATER_MARK,
    LOW_WATER_MARK,
  );
  return { ...r, longestTaskMs: await readLongest(frame) };
}
