// Which stretch of time the state lanes show: everything (fitted, growing with time) or a window
// the person zoomed and panned to. Pure arithmetic, so it is unit-tested without a DOM.

export interface TimeWindow {
  start: number;
  end: number;
}

export class LaneWindow {
  /** null: fitted to everything. */
  private zoomed: TimeWindow | null = null;

  constructor(private readonly minimumSpan: number) {}

  /** Fitted, it ends a little after `now`, so the final segments show too. */
  current(now: number): TimeWindow {
    return this.zoomed ?? { start: 0, end: Math.max(now * 1.04, now + 5, 1) };
  }

  get isFitted(): boolean {
    return this.zoomed === null;
  }

  fit(): void {
    this.zoomed = null;
  }

  /** Zooms by `factor` (above 1 zooms out) keeping time `at` under the pointer. */
  zoom(now: number, at: number, factor: number): void {
    const w = this.current(now);
    const span = w.end - w.start;
    const next = Math.max(span * factor, this.minimumSpan);
    const start = Math.max(0, at - ((at - w.start) / span) * next);
    this.zoomed = { start, end: start + next };
  }

  /** Moves the window by `by` ms, never before 0. */
  pan(from: TimeWindow, by: number): void {
    const start = Math.max(0, from.start + by);
    this.zoomed = { start, end: start + (from.end - from.start) };
  }

  /** Centres a zoomed window on `t` when `t` is outside it; a fitted window shows everything already. */
  reveal(now: number, t: number): void {
    const w = this.current(now);
    if (!this.zoomed || (t >= w.start && t <= w.end)) return;
    this.pan(w, t - (w.start + w.end) / 2);
  }
}
