// The throughput and latency lab: its option controls, Run/Stop, the live chart and the results,
// every figure with its unit (MB/s = 10^6 bytes per second).
import { errorMessage, LabError } from "../engine/core/errors";
import type { Lab } from "../engine/lab";
import type { LatencyResult } from "../engine/measure/latency";
import type { MeasurementRuns } from "../engine/measure/measurement-runs";
import { DRAIN_MAX_MS, type ThroughputResult } from "../engine/measure/throughput";
import type { ThroughputOptions, ThroughputSettings } from "../engine/measure/throughput-options";
import { howSteady } from "../format/steady-rate";
import { bytes, count, counted, milliseconds, rate, timestamp } from "../format/units";
import { byId, textElement } from "./elements";
import { ThroughputChart } from "./throughput-chart";

export function mountThroughputView(lab: Lab): void {
  const notice = byId("run-notice", HTMLParagraphElement);
  const refused = (error: unknown) => {
    notice.textContent = errorMessage(error);
  };
  const started = () => {
    notice.textContent = "";
  };
  mountThroughputForm(lab, refused, started);
  mountLatencyForm(lab, refused, started);
  mountRunResults(lab.runs);
  // Runs wait while any job runs: measuring two things at once would measure neither honestly.
  const run = byId("tp-run", HTMLButtonElement);
  const runLatency = byId("lat-run", HTMLButtonElement);
  const applyBusy = () => {
    run.disabled = runLatency.disabled = lab.stoppable.some((job) => job.busy);
  };
  for (const job of lab.stoppable) job.onBusy(applyBusy);
  applyBusy();
}

/** The throughput options, read into ThroughputOptions on Run throughput. */
function mountThroughputForm(lab: Lab, refused: (error: unknown) => void, started: () => void): void {
  const form = byId("throughput-form", HTMLFormElement);
  const size = byId("tp-size", HTMLInputElement);
  const limit = byId("tp-limit", HTMLSelectElement);
  const duration = byId("tp-duration", HTMLInputElement);
  const total = byId("tp-total", HTMLInputElement);
  const ordered = byId("tp-ordered", HTMLInputElement);
  const retransmits = byId("tp-retransmits", HTMLInputElement);
  const lifetime = byId("tp-lifetime", HTMLInputElement);
  const payload = byId("tp-payload", HTMLSelectElement);
  const applyLimit = () => {
    duration.disabled = limit.value === "bytes";
    total.disabled = limit.value !== "bytes";
  };
  const readOptions = (): ThroughputOptions => {
    const options: ThroughputOptions = { ordered: ordered.checked, binary: payload.value === "binary" };
    const messageSize = numberIn(size, "Message size");
    if (messageSize !== undefined) options.messageSize = messageSize;
    if (limit.value !== "bytes") {
      if (limit.value === "steady") options.untilSteady = true;
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
    started();
    lab.runs.throughput.run(options).catch(refused);
  });
  applyLimit();
}

function mountLatencyForm(lab: Lab, refused: (error: unknown) => void, started: () => void): void {
  const samples = byId("lat-samples", HTMLInputElement);
  byId("lat-run", HTMLButtonElement).addEventListener("click", () => {
    let wanted: number | undefined;
    try {
      wanted = numberIn(samples, "Samples");
    } catch (error) {
      refused(error);
      return;
    }
    started();
    lab.runs.latency.run(wanted === undefined ? {} : { samples: wanted }).catch(refused);
  });
}

const RUN_NAME = { throughput: "Throughput run", latency: "Latency run" } as const;

/** The run's status line, the live chart and figures, and the result lists. */
function mountRunResults(runs: MeasurementRuns): void {
  const status = byId("run-status", HTMLParagraphElement);
  const live = byId("tp-live", HTMLParagraphElement);
  const throughputList = byId("tp-result", HTMLElement);
  const latencyList = byId("lat-result", HTMLElement);
  const chart = new ThroughputChart(byId("tp-chart", HTMLDivElement));
  byId("clear", HTMLButtonElement).addEventListener("click", () => {
    chart.reset();
    live.textContent = "";
    status.textContent = "";
    throughputList.replaceChildren();
    latencyList.replaceChildren();
  });
  const events = runs.events;
  events.on("run-phase", ({ run: kind, phase }) => {
    if (phase === "starting") {
      status.textContent = `${RUN_NAME[kind]} starting…`;
      if (kind === "throughput") {
        chart.reset();
        live.textContent = "";
      }
    } else if (phase === "running") status.textContent = `${RUN_NAME[kind]} running…`;
    else if (phase === "draining") status.textContent = "Sending finished; waiting for the last messages…";
  });
  events.on("throughput-progress", ({ interval, bytes: delivered, elapsedMs }) => {
    chart.push(interval.t / 1000, interval.bytesPerSecond / 1e6);
    live.textContent = `${rate(interval.bytesPerSecond)} now · ${bytes(delivered)} delivered in ${(elapsedMs / 1000).toFixed(1)} s`;
  });
  events.on("throughput-result", (result) => {
    status.textContent = result.cancelled
      ? `Throughput run cancelled: ${result.cancelReason}.`
      : result.drainProjectedMs !== undefined
        ? `Throughput run ended: at the link's rate not one more message could arrive whole within ${DRAIN_MAX_MS / 1000} s of the last send (its queue would have taken about ${Math.round(result.drainProjectedMs / 1000)} s more).`
        : result.drainCutMs !== undefined
          ? `Throughput run ended: the link was too slow to drain its queue within ${DRAIN_MAX_MS / 1000} s of the last send.`
          : "Throughput run complete.";
    renderRows(throughputList, throughputRows(result));
  });
  events.on("latency-progress", ({ done, total: all }) => {
    live.textContent = `Round trips: ${count(done)} of ${count(all)}`;
  });
  events.on("latency-result", (result) => {
    status.textContent = result.cancelled
      ? `Latency run cancelled: ${result.cancelReason}.`
      : "Latency run complete.";
    renderRows(latencyList, latencyRows(result));
  });
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
  const amount = s.untilSteady
    ? `until steady, for at most ${(s.durationMs ?? 0) / 1000} s`
    : s.durationMs !== null
      ? `for ${s.durationMs / 1000} s`
      : `for ${count(s.totalBytes ?? 0)} bytes`;
  return `${count(s.messageSize)}-byte ${s.binary ? "binary" : "text"} messages, ${s.ordered ? "ordered" : "unordered"}, ${reliability}, ${amount}`;
}

/**
 * The headline in words that agree with the chart: "steady" names the rule that held (1 s windows
 * within 10%, while the chart's 250 ms intervals may swing), and the whole-run rate beside it when
 * the two differ.
 */
function sustained(r: ThroughputResult): string {
  const s = r.steady;
  if (!s) return "—";
  const why = s.reached
    ? ` (two 1 s windows within 10%; 250 ms intervals swing more), measured to ${milliseconds(s.toMs)}`
    : ": two 1 s windows never agreed within 10%";
  const whole =
    rate(s.bytesPerSecond) === rate(r.bytesPerSecond)
      ? "; the same over the whole run"
      : `; ${rate(r.bytesPerSecond)} over the whole run (${s.fromMs > 0 ? "ramp-up included" : `the time after ${milliseconds(s.toMs)} included`})`;
  return `${rate(s.bytesPerSecond)}, ${howSteady(s, r.settings.messageSize)}${why}${whole}`;
}

function throughputRows(r: ThroughputResult): [string, string][] {
  const rows: [string, string][] = [
    [
      "Status",
      r.cancelled
        ? `Cancelled (${r.cancelReason})`
        : r.drainCutMs !== undefined
          ? `Ended after draining ${count(r.drainCutMs)} ms`
          : "Complete",
    ],
    ["Sustained", sustained(r)],
    ["Whole run", `${rate(r.bytesPerSecond)}, ramp-up included`],
    ["Messages per second", `${count(r.messagesPerSecond)} msg/s`],
    ["Peak (250 ms interval)", rate(r.peakBytesPerSecond)],
    // The live line says MB: so do these, with the exact count beside.
    [
      "Delivered intact",
      `${bytes(r.bytes)} (${counted(r.bytes, "byte")}) in ${counted(r.messages, "message")}`,
    ],
    [
      "Handed to send()",
      `${bytes(r.bytesSent)} (${counted(r.bytesSent, "byte")}) in ${counted(r.messagesSent, "message")}`,
    ],
    ["Duration", `${count(r.durationMs)} ms, first send to last byte received`],
    ["Lost", count(r.lost)],
    ["Out of order", count(r.outOfOrder)],
    ["Corrupted", count(r.corrupted)],
    ["Duplicated", count(r.duplicated)],
  ];
  if (r.cancelled || r.drainCutMs !== undefined) rows.push(["In flight when stopped", count(r.inFlight)]);
  rows.push(["Settings", describeSettings(r.settings)]);
  return rows;
}

function latencyRows(r: LatencyResult): [string, string][] {
  const ms = (value: number) => (Number.isNaN(value) ? "—" : `${timestamp(value, r.resolutionMs)} ms`);
  return [
    ["Status", r.cancelled ? `Cancelled (${r.cancelReason})` : "Complete"],
    ["Round trip p50", ms(r.p50Ms)],
    ["Round trip p95", ms(r.p95Ms)],
    ["Round trip p99", ms(r.p99Ms)],
    ["Round trip max", ms(r.maxMs)],
    [
      "Samples",
      `${count(r.samples)} of ${count(r.requestedSamples)}, after ${r.warmup} untimed warm-up round trips`,
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
