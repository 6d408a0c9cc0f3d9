// The throughput and latency lab: its option controls, Run/Stop, the live chart and the results,
// every figure with its unit (MB/s = 10^6 bytes per second).
import { LabError } from "../engine/core/errors";
import type { Lab, LabEvent } from "../engine/lab";
import type { LatencyResult } from "../engine/measure/latency";
import type { TestKind } from "../engine/measure/run-phase";
import type { ThroughputResult } from "../engine/measure/throughput";
import type { ThroughputOptions, ThroughputSettings } from "../engine/measure/throughput-options";
import { megabytesPerSecond } from "../report/figures";
import { byId, textElement } from "./elements";
import { formatBytes, formatCount, formatMs } from "./format";
import { ThroughputChart } from "./throughput-chart";

export function mountThroughputView(lab: Lab): void {
  const form = byId("throughput-form", HTMLFormElement);
  const size = byId("tp-size", HTMLInputElement);
  const limit = byId("tp-limit", HTMLSelectElement);
  const duration = byId("tp-duration", HTMLInputElement);
  const total = byId("tp-total", HTMLInputElement);
  const ordered = byId("tp-ordered", HTMLInputElement);
  const retransmits = byId("tp-retransmits", HTMLInputElement);
  const lifetime = byId("tp-lifetime", HTMLInputElement);
  const payload = byId("tp-payload", HTMLSelectElement);
  const run = byId("tp-run", HTMLButtonElement);
  const stop = byId("tp-stop", HTMLButtonElement);
  const samples = byId("lat-samples", HTMLInputElement);
  const runLatency = byId("lat-run", HTMLButtonElement);
  const notice = byId("test-notice", HTMLParagraphElement);
  const status = byId("test-status", HTMLParagraphElement);
  const live = byId("tp-live", HTMLParagraphElement);
  const throughputList = byId("tp-result", HTMLElement);
  const latencyList = byId("lat-result", HTMLElement);
  const chart = new ThroughputChart(byId("tp-chart", HTMLDivElement));

  const showNotice = (text: string) => {
    notice.textContent = text;
  };
  const refused = (error: unknown) => showNotice(error instanceof Error ? error.message : String(error));
  const applyLimit = () => {
    duration.disabled = limit.value !== "duration";
    total.disabled = limit.value !== "bytes";
  };
  const applyRunning = (running: TestKind | null) => {
    run.disabled = runLatency.disabled = running !== null;
    stop.disabled = running === null;
  };

  limit.addEventListener("change", applyLimit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let options: ThroughputOptions;
    try {
      options = readOptions();
    } catch (error) {
      refused(error);
      return;
    }
    showNotice("");
    lab.runThroughput(options).catch(refused);
  });
  stop.addEventListener("click", () => void lab.stopTest());
  runLatency.addEventListener("click", () => {
    let count: number | undefined;
    try {
      count = numberIn(samples, "Samples");
    } catch (error) {
      refused(error);
      return;
    }
    showNotice("");
    lab.runLatency(count === undefined ? {} : { samples: count }).catch(refused);
  });

  function readOptions(): ThroughputOptions {
    const options: ThroughputOptions = { ordered: ordered.checked, binary: payload.value === "binary" };
    const messageSize = numberIn(size, "Message size");
    if (messageSize !== undefined) options.messageSize = messageSize;
    if (limit.value === "duration") {
      const seconds = numberIn(duration, "Duration");
      if (seconds !== undefined) options.durationMs = seconds * 1000;
    } else {
      const bytes = numberIn(total, "Total bytes");
      if (bytes !== undefined) options.totalBytes = bytes;
    }
    const maxRetransmits = numberIn(retransmits, "Max retransmits");
    if (maxRetransmits !== undefined) options.maxRetransmits = maxRetransmits;
    const maxPacketLifeTime = numberIn(lifetime, "Max packet lifetime");
    if (maxPacketLifeTime !== undefined) options.maxPacketLifeTime = maxPacketLifeTime;
    return options;
  }

  lab.events.on((event: LabEvent) => {
    switch (event.type) {
      case "test-phase":
        applyRunning(lab.runningTest);
        if (event.phase === "starting") {
          status.textContent = `${event.test === "throughput" ? "Throughput" : "Latency"} test starting…`;
          if (event.test === "throughput") {
            chart.reset();
            live.textContent = "";
          }
        } else if (event.phase === "running")
          status.textContent = `${event.test === "throughput" ? "Throughput" : "Latency"} test running…`;
        else if (event.phase === "draining")
          status.textContent = "Sending finished; waiting for the last messages…";
        break;
      case "throughput-progress": {
        const { interval, bytes, elapsedMs } = event.progress;
        chart.push(interval.t / 1000, interval.bytesPerSecond / 1e6);
        live.textContent = `${megabytesPerSecond(interval.bytesPerSecond)} now · ${formatBytes(bytes)} delivered in ${(elapsedMs / 1000).toFixed(1)} s`;
        break;
      }
      case "throughput-result":
        status.textContent = event.result.cancelled
          ? `Throughput test cancelled: ${event.result.cancelReason}.`
          : "Throughput test complete.";
        renderRows(throughputList, throughputRows(event.result));
        break;
      case "latency-progress":
        live.textContent = `Round trips: ${formatCount(event.done)} of ${formatCount(event.total)}`;
        break;
      case "latency-result":
        status.textContent = event.result.cancelled
          ? `Latency test cancelled: ${event.result.cancelReason}.`
          : "Latency test complete.";
        renderRows(latencyList, latencyRows(event.result));
        break;
    }
  });
  applyLimit();
  applyRunning(lab.runningTest);
}

/** A number from a field, undefined when empty; a clear message when the browser could not read it as one. */
function numberIn(input: HTMLInputElement, name: string): number | undefined {
  if (input.disabled) return undefined;
  if (input.validity.badInput) throw new LabError("invalid-option", `${name} is not a number.`);
  if (input.value.trim() === "") return undefined;
  return Number(input.value);
}

function describeSettings(s: ThroughputSettings): string {
  const reliability =
    s.maxRetransmits !== null
      ? `at most ${s.maxRetransmits} retransmits`
      : s.maxPacketLifeTime !== null
        ? `packet lifetime ${s.maxPacketLifeTime} ms`
        : "reliable";
  const amount =
    s.durationMs !== null ? `${s.durationMs / 1000} s` : `${formatCount(s.totalBytes ?? 0)} bytes`;
  return `${formatCount(s.messageSize)}-byte ${s.binary ? "binary" : "text"} messages, ${s.ordered ? "ordered" : "unordered"}, ${reliability}, for ${amount}`;
}

function throughputRows(r: ThroughputResult): [string, string][] {
  const rows: [string, string][] = [
    ["Status", r.cancelled ? `Cancelled (${r.cancelReason})` : "Complete"],
    ["Throughput", megabytesPerSecond(r.bytesPerSecond)],
    ["Messages per second", `${formatCount(r.messagesPerSecond)} msg/s`],
    ["Peak (250 ms interval)", megabytesPerSecond(r.peakBytesPerSecond)],
    ["Delivered intact", `${formatCount(r.bytes)} bytes in ${formatCount(r.messages)} messages`],
    ["Handed to send()", `${formatCount(r.bytesSent)} bytes in ${formatCount(r.messagesSent)} messages`],
    ["Duration", `${formatCount(r.durationMs)} ms, first send to last byte received`],
    ["Lost", formatCount(r.lost)],
    ["Out of order", formatCount(r.outOfOrder)],
    ["Corrupted", formatCount(r.corrupted)],
    ["Duplicated", formatCount(r.duplicated)],
  ];
  if (r.cancelled) rows.push(["In flight when stopped", formatCount(r.inFlight)]);
  rows.push(["Settings", describeSettings(r.settings)]);
  return rows;
}

function latencyRows(r: LatencyResult): [string, string][] {
  const ms = (value: number) => (Number.isNaN(value) ? "—" : `${formatMs(value, r.resolutionMs)} ms`);
  return [
    ["Status", r.cancelled ? `Cancelled (${r.cancelReason})` : "Complete"],
    ["Round trip p50", ms(r.p50Ms)],
    ["Round trip p95", ms(r.p95Ms)],
    ["Round trip p99", ms(r.p99Ms)],
    ["Round trip max", ms(r.maxMs)],
    [
      "Samples",
      `${formatCount(r.samples)} of ${formatCount(r.requestedSamples)}, after ${r.warmup} untimed warm-up round trips`,
    ],
    ["Timer resolution", Number.isNaN(r.resolutionMs) ? "—" : `${r.resolutionMs} ms`],
  ];
}

function renderRows(list: HTMLElement, rows: [string, string][]): void {
  list.replaceChildren(
    ...rows.map(([name, value]) => {
      const row = document.createElement("div");
      row.append(textElement("dt", name), textElement("dd", value));
      return row;
    }),
  );
}
