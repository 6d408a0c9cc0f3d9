// The live throughput chart (uPlot): one point per 250 ms interval, the newest minute only, drawn
// at most once per animation frame and not at all while DevTools hides the panel.
import uPlot from "uplot";
import { VISIBILITY_EVENT, type VisibilityDetail } from "./visibility";

/** A minute of 250 ms intervals: the chart's memory stays the same however long a run lasts. */
export const CHART_POINTS = 240;
const HEIGHT = 160;

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
    new ResizeObserver(() => {
      if (this.plot && this.container.clientWidth > 0)
        this.plot.setSize({ width: this.container.clientWidth, height: HEIGHT });
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

  private draw(): void {
    this.dirty = false;
    // Counted where tests can see it: a hidden panel must not draw.
    this.container.dataset.draws = String(Number(this.container.dataset.draws ?? 0) + 1);
    const data: uPlot.AlignedData = [this.xs.slice(), this.ys.slice()];
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    const style = getComputedStyle(document.documentElement);
    const color = (name: string) => style.getPropertyValue(name).trim() || "currentColor";
    const axis = {
      stroke: color("--muted"),
      grid: { stroke: color("--border"), width: 1 },
      ticks: { stroke: color("--border") },
    };
    this.plot = new uPlot(
      {
        width: this.container.clientWidth || 600,
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        legend: { show: false },
        cursor: { show: false },
        axes: [
          { ...axis, label: "seconds since the first send" },
          { ...axis, label: "MB/s" },
        ],
        series: [{}, { label: "Throughput", stroke: color("--accent"), width: 2, points: { show: false } }],
      },
      data,
      this.container,
    );
  }
}
