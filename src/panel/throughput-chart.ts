// The live throughput chart (uPlot): one point per 250 ms interval, the newest minute only, drawn
// at most once per animation frame and not at all while DevTools hides the panel.
import uPlot from "uplot";
import { VISIBILITY_EVENT, type VisibilityDetail } from "./visibility";

/** A minute of 250 ms intervals: the chart's memory stays the same however long a run lasts. */
const CHART_POINTS = 240;
const FONT = "11px system-ui, sans-serif";

export class ThroughputChart {
  private xs: number[] = [];
  private ys: number[] = [];
  private plot: uPlot | null = null;
  private frame = 0;
  private shown = true;
  private dirty = false;

  constructor(private readonly container: HTMLElement) {
    addEventListener(VISIBILITY_EVENT, (event) => {
      this.shown = (event as CustomEvent<VisibilityDetail>).detail.shown;
      if (this.shown && this.dirty) this.schedule();
    });
    // Colours come from the theme: a new theme draws the chart anew.
    new MutationObserver(() => {
      this.plot?.destroy();
      this.plot = null;
      if (this.xs.length > 0) this.schedule();
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    // The chart fills its box; panel.css sizes the box to the pane.
    new ResizeObserver(() => {
      if (this.plot && this.container.clientWidth > 0) this.plot.setSize(this.size());
    }).observe(container);
  }

  reset(): void {
    this.xs = [];
    this.ys = [];
    this.schedule();
  }

  /** Adds one interval: t in seconds since the first send, rate in MB/s (10^6 bytes per second). */
  push(tSeconds: number, megabytesPerSecond: number): void {
    this.xs.push(tSeconds);
    this.ys.push(megabytesPerSecond);
    if (this.xs.length > CHART_POINTS) {
      this.xs.shift();
      this.ys.shift();
    }
    this.schedule();
  }

  private schedule(): void {
    this.dirty = true;
    if (!this.shown || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.shown) this.draw();
    });
  }

  private size(): { width: number; height: number } {
    return {
      width: this.container.clientWidth || 600,
      height: Math.max(100, this.container.clientHeight || 160),
    };
  }

  private draw(): void {
    this.dirty = false;
    this.container.dataset.drawn = "true";
    // Counted where tests can see it: a hidden panel must not draw.
    this.container.dataset.draws = String(Number(this.container.dataset.draws ?? 0) + 1);
    const data: uPlot.AlignedData = [this.xs.slice(), this.ys.slice()];
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const style = getComputedStyle(document.documentElement);
    const color = (name: string) => style.getPropertyValue(name).trim() || "currentColor";
    // DevTools-sized labels, and ticks spaced for a short pane: about one per 40 px upward.
    const axis = {
      stroke: color("--muted"),
      font: FONT,
      labelFont: FONT,
      labelSize: 14,
      grid: { stroke: color("--border"), width: 1 },
      ticks: { stroke: color("--border"), size: 4 },
    };
    this.plot = new uPlot(
      {
        ...this.size(),
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        legend: { show: false },
        cursor: { show: false },
        axes: [
          { ...axis, label: "seconds since the first send", space: 50, size: 30 },
          { ...axis, label: "MB/s", space: 24, size: 44 },
        ],
        series: [{}, { label: "Throughput", stroke: color("--accent"), width: 2, points: { show: false } }],
      },
      data,
      this.container,
    );
  }
}
