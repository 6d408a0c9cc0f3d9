// The state lanes: one lane per object and state, under a header per group (channels, each peer)
// that collapses it, drawn as labelled segments on a time axis in ms since Connect, with step
// markers. As in DevTools' Performance panel: the wheel scrolls the lanes, Ctrl/⌘ + wheel zooms
// around the pointer, Shift + wheel and drag pan, + and - zoom, 0 and Fit show it all; arrow keys
// move between segments and markers (one tab stop for them all).
import type { TimelineEntry } from "../engine/watch/timeline";
import { timestamp } from "../format/units";
import { textElement } from "./elements";
import { LANES, type LaneModel, type Marker, type Segment, ticks } from "./lane-model";
import { LaneWindow, type TimeWindow } from "./lane-window";

export class TimelineLanes {
  private model: LaneModel = { lanes: LANES, segments: [], markers: [], lastT: 0 };
  private entries: readonly TimelineEntry[] = [];
  private now = 0;
  private readonly view: LaneWindow;
  private selected: number | null = null;
  private focusedEntry: number | null = null;
  private drag: { x: number; window: TimeWindow } | null = null;
  /** Groups the person collapsed; kept across connections shown. */
  private readonly collapsed = new Set<string>();

  constructor(
    private readonly group: HTMLElement,
    private readonly axis: HTMLElement,
    private readonly resolutionMs: number,
    /** Called when a person selects a segment or marker: the entry's index. */
    private readonly onSelect: (entry: number) => void,
  ) {
    this.view = new LaneWindow(resolutionMs * 10);
    group.addEventListener("wheel", (event) => this.onWheel(event), { passive: false });
    group.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    group.addEventListener("pointermove", (event) => this.onPointerMove(event));
    group.addEventListener("pointerup", () => {
      this.drag = null;
    });
    group.addEventListener("keydown", (event) => this.onKey(event));
    group.addEventListener("click", (event) => {
      const toggle = (event.target as Element).closest<HTMLElement>("[data-group]");
      if (toggle) {
        this.toggle(toggle.dataset.group ?? "");
        return;
      }
      const item = (event.target as Element).closest<HTMLElement>("[data-entry]");
      if (item) this.onSelect(Number(item.dataset.entry));
    });
  }

  /** Draws these entries; `now` is where segments still current end ("to now"), `live` while it grows. */
  draw(entries: readonly TimelineEntry[], model: LaneModel, now: number): void {
    this.entries = entries;
    this.model = model;
    this.now = Math.max(now, model.lastT);
    this.render();
  }

  fit(): void {
    this.view.fit();
    this.render();
  }

  /** Marks the segment or marker of this entry as selected, panning to it when it is out of view. */
  select(entry: number | null): void {
    this.selected = entry;
    if (entry !== null) {
      const t = this.entries[entry]?.t;
      if (t !== undefined) this.view.reveal(this.now, t);
      this.focusedEntry = entry;
    }
    this.render();
  }

  private window(): TimeWindow {
    return this.view.current(this.now);
  }

  private render(): void {
    const hadFocus = this.group.contains(document.activeElement);
    const w = this.window();
    const span = w.end - w.start;
    const x = (t: number) => `${((t - w.start) / span) * 100}%`;
    const rows: HTMLElement[] = [];
    const items: HTMLElement[] = [];
    const sessionRow = laneRow("session", "session events");
    rows.push(sessionRow.row);
    // A header before each group's first lane; a collapsed group's lanes are not drawn.
    const laneRows = this.model.lanes.map((lane, i) => {
      if (this.model.lanes[i - 1]?.group !== lane.group)
        rows.push(groupHeader(lane.group, !this.collapsed.has(lane.group), this.model.lanes));
      if (this.collapsed.has(lane.group)) return null;
      const r = laneRow(lane.label, `${lane.group}: ${lane.source} ${lane.property}`);
      r.row.classList.add("grouped");
      rows.push(r.row);
      return r.track;
    });
    for (const segment of this.model.segments) {
      // A current value lasts until now: to the window's right edge.
      const end = segment.end ?? Math.max(this.now, w.end);
      if (end < w.start || segment.start > w.end) continue;
      const element = this.segmentElement(segment);
      element.style.left = x(Math.max(segment.start, w.start));
      element.style.width = `${((Math.min(end, w.end) - Math.max(segment.start, w.start)) / span) * 100}%`;
      laneRows[segment.lane]?.append(element);
      items.push(element);
    }
    for (const marker of this.model.markers) {
      if (marker.t < w.start || marker.t > w.end) continue;
      const element = this.markerElement(marker);
      element.style.left = x(marker.t);
      (marker.lane < 0 ? sessionRow.track : laneRows[marker.lane])?.append(element);
      items.push(element);
    }
    this.group.replaceChildren(...rows);
    drawTicks(this.axis, w, this.resolutionMs);
    // One tab stop for the group: the focused (or selected, or first) item.
    items.sort((a, b) => Number(a.dataset.entry) - Number(b.dataset.entry));
    const current =
      items.find((item) => Number(item.dataset.entry) === this.focusedEntry) ??
      items.find((item) => Number(item.dataset.entry) === this.selected) ??
      items[0];
    for (const item of items) item.tabIndex = item === current ? 0 : -1;
    if (hadFocus) current?.focus({ preventScroll: true });
  }

  private toggle(group: string): void {
    if (this.collapsed.has(group)) this.collapsed.delete(group);
    else this.collapsed.add(group);
    this.render();
    this.group.querySelector<HTMLElement>(`[data-group="${CSS.escape(group)}"]`)?.focus();
  }

  private ms(t: number): string {
    return `${timestamp(t, this.resolutionMs)} ms`;
  }

  private segmentElement(segment: Segment): HTMLElement {
    const entry = this.entries[segment.entry];
    const lane = this.model.lanes[segment.lane];
    const until = segment.end === null ? "now" : this.ms(segment.end);
    const name = `${lane?.source} ${lane?.property} ${segment.value} from ${this.ms(segment.start)} to ${until}`;
    const element = textElement("span", segment.value, "segment");
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", name);
    element.setAttribute("aria-pressed", String(this.selected === segment.entry));
    element.dataset.entry = String(segment.entry);
    element.dataset.meaning = segment.meaning;
    if (segment.synthetic) element.dataset.synthetic = "true";
    element.title = `${name}${entry?.detail ? `\n${detailText(entry)}` : ""}${segment.synthetic ? "\n(read after close(): no event fires for it)" : ""}`;
    return element;
  }

  private markerElement(marker: Marker): HTMLElement {
    const entry = this.entries[marker.entry];
    const name = `${entry?.source} ${marker.property} ${marker.value} at ${this.ms(marker.t)}`;
    const element = document.createElement("span");
    element.className = "marker";
    element.setAttribute("role", "button");
    element.setAttribute("aria-label", name);
    element.setAttribute("aria-pressed", String(this.selected === marker.entry));
    element.dataset.entry = String(marker.entry);
    element.dataset.kind = marker.property;
    element.title = `${name}${entry?.detail ? `\n${detailText(entry)}` : ""}`;
    return element;
  }

  private timeAt(clientX: number): number {
    const track = this.group.querySelector(".lane-track");
    const rect = track?.getBoundingClientRect();
    const w = this.window();
    if (!rect || rect.width === 0) return w.start;
    return w.start + ((clientX - rect.left) / rect.width) * (w.end - w.start);
  }

  private onWheel(event: WheelEvent): void {
    // The wheel alone scrolls the lanes (the browser does it); Ctrl/⌘ zooms, Shift pans.
    if (!event.ctrlKey && !event.metaKey && !event.shiftKey) return;
    event.preventDefault();
    const w = this.window();
    if (event.shiftKey) this.view.pan(w, ((event.deltaY || event.deltaX) / 500) * (w.end - w.start));
    else this.view.zoom(this.now, this.timeAt(event.clientX), Math.exp(event.deltaY / 300));
    this.render();
  }

  /** + and - zoom around the middle of the view, 0 fits it all. */
  private zoomKey(key: string): boolean {
    const w = this.window();
    if (key === "+" || key === "=") this.view.zoom(this.now, (w.start + w.end) / 2, 0.8);
    else if (key === "-" || key === "_") this.view.zoom(this.now, (w.start + w.end) / 2, 1.25);
    else if (key === "0") this.view.fit();
    else return false;
    this.render();
    return true;
  }

  private onPointerDown(event: PointerEvent): void {
    if ((event.target as Element).closest("[data-entry], [data-group]")) return;
    this.drag = { x: event.clientX, window: this.window() };
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.drag || event.buttons === 0) return;
    const track = this.group.querySelector(".lane-track")?.getBoundingClientRect();
    if (!track || track.width === 0) return;
    const { window: w, x } = this.drag;
    this.view.pan(w, ((x - event.clientX) / track.width) * (w.end - w.start));
    this.render();
  }

  private onKey(event: KeyboardEvent): void {
    if (!event.ctrlKey && !event.metaKey && !event.altKey && this.zoomKey(event.key)) {
      event.preventDefault();
      return;
    }
    if ((event.target as Element).closest("[data-group]")) return;
    const items = [...this.group.querySelectorAll<HTMLElement>("[data-entry]")].sort(
      (a, b) => Number(a.dataset.entry) - Number(b.dataset.entry),
    );
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      const item = items[Math.max(0, Math.min(items.length - 1, to))];
      if (!item) return;
      event.preventDefault();
      this.focusedEntry = Number(item.dataset.entry);
      for (const other of items) other.tabIndex = other === item ? 0 : -1;
      item.focus();
    };
    if (event.key === "ArrowRight" || event.key === "ArrowDown") move(at + 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") move(at - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(items.length - 1);
    else if ((event.key === "Enter" || event.key === " ") && at >= 0) {
      event.preventDefault();
      this.onSelect(Number(items[at]?.dataset.entry));
    }
  }
}

/** A group's header: a button that collapses or expands its lanes. */
function groupHeader(group: string, open: boolean, lanes: LaneModel["lanes"]): HTMLElement {
  const count = lanes.filter((lane) => lane.group === group).length;
  const button = textElement("button", `${open ? "▾" : "▸"} ${group}`, "lane-group-toggle");
  button.type = "button";
  button.dataset.group = group;
  button.setAttribute("aria-expanded", String(open));
  button.title = `${open ? "Collapse" : "Expand"} ${group} (${count} lane${count === 1 ? "" : "s"})`;
  const row = document.createElement("div");
  row.className = "lane-group";
  row.append(button);
  return row;
}

/** A lane: its name (full in the tooltip) and the track its segments go on. */
function laneRow(label: string, title: string): { row: HTMLElement; track: HTMLElement } {
  const row = document.createElement("div");
  row.className = "lane-row";
  const name = textElement("span", label, "lane-name");
  name.title = title;
  name.setAttribute("aria-hidden", "true");
  const track = document.createElement("div");
  track.className = "lane-track";
  row.append(name, track);
  return { row, track };
}

/** The time axis's ticks for this window. */
function drawTicks(axis: HTMLElement, w: TimeWindow, resolutionMs: number): void {
  const width = axis.clientWidth || 600;
  const marks = ticks(w.start, w.end, Math.max(2, Math.floor(width / 70)));
  axis.replaceChildren(
    ...marks.map((t) => {
      const label = timestamp(t, t % 1 === 0 ? 1 : resolutionMs);
      const tick = textElement("span", label, "tick");
      const at = (t - w.start) / (w.end - w.start);
      tick.style.left = `${at * 100}%`;
      // A label centred on a tick at either end would stick out of a narrow axis: it hangs inward.
      const half = label.length * 3.5;
      if (at * width < half) tick.dataset.edge = "start";
      else if ((1 - at) * width < half) tick.dataset.edge = "end";
      return tick;
    }),
  );
}

function detailText(entry: TimelineEntry): string {
  return Object.entries(entry.detail ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
}
