// The state timeline, the panel's main view: lanes and table for one watched connection at a time
// (the person's loopback session, or the last diagnosis's own), drawn at most once per animation
// frame, and "now" kept moving while the connection can still change. Selecting a segment selects
// its table row, and the reverse.
import { TIMELINE_LIMIT, type TimelineEntry } from "../engine/watch/timeline";
import type { WatchedConnection } from "../engine/watch/watched-connection";
import { count } from "../format/units";
import { byId } from "./elements";
import { laneModel } from "./lane-model";
import { TimelineLanes } from "./timeline-lanes";
import { TimelineTable } from "./timeline-table";

const NOW_TICK_MS = 250;

export interface TimelineView {
  /** Shows another watched connection. */
  show(watched: WatchedConnection): void;
  /** Lists a group after the fixed connections in the picker ("ice": the check's targets, "page": the page's), replacing its earlier members. */
  setExtra(group: string, extra: readonly WatchedConnection[]): void;
}

export function mountTimelineView(
  connections: readonly WatchedConnection[],
  resolutionMs: number,
): TimelineView {
  return new TimelinePane(connections, resolutionMs);
}

/** The entries shown and how many of them the table already has: the view's own store. */
class TimelinePane implements TimelineView {
  private watched: WatchedConnection;
  private entries: TimelineEntry[] = [];
  private shownRows = 0;
  private scheduled = false;
  /** An entry stamped with its event's own time landed before rows already shown: redraw the table. */
  private reorder = false;
  private subscription = new AbortController();
  private listed: readonly WatchedConnection[];
  private readonly groups = new Map<string, readonly WatchedConnection[]>();
  private readonly lanes: TimelineLanes;
  private readonly table: TimelineTable;
  private readonly dropped = byId("timeline-dropped", HTMLSpanElement);
  private readonly picker = byId("timeline-connection", HTMLSelectElement);

  constructor(
    private readonly connections: readonly WatchedConnection[],
    resolutionMs: number,
  ) {
    const body = byId("timeline", HTMLTableElement).tBodies[0];
    if (!body) throw new Error("panel.html: the Timeline table lacks a tbody");
    byId("timeline-resolution", HTMLSpanElement).textContent = `clock resolution ${resolutionMs} ms`;
    this.watched = connections[0] as WatchedConnection;
    this.listed = connections;
    const select = (entry: number | null) => this.select(entry);
    this.lanes = new TimelineLanes(
      byId("lanes", HTMLFieldSetElement),
      byId("lanes-axis", HTMLDivElement),
      resolutionMs,
      select,
    );
    this.table = new TimelineTable(
      body,
      {
        source: byId("filter-source", HTMLSelectElement),
        property: byId("filter-property", HTMLSelectElement),
        readyStateOnly: byId("filter-readystate", HTMLInputElement),
        text: byId("filter-text", HTMLInputElement),
      },
      resolutionMs,
      select,
    );
    byId("lanes-fit", HTMLButtonElement).addEventListener("click", () => this.lanes.fit());
    setInterval(() => {
      if (this.watched.live) this.schedule();
    }, NOW_TICK_MS);
    this.picker.addEventListener("change", () => {
      const next = this.listed[Number(this.picker.value)];
      if (next) this.load(next);
    });
    this.fillPicker();
    this.load(this.watched);
  }

  show(next: WatchedConnection): void {
    this.load(next);
    this.fillPicker();
  }

  setExtra(group: string, extra: readonly WatchedConnection[]): void {
    this.groups.set(group, extra);
    this.listed = [...this.connections, ...[...this.groups.values()].flat()];
    // A connection no longer listed is not shown either.
    if (!this.listed.includes(this.watched)) this.load(this.connections[0] as WatchedConnection);
    this.fillPicker();
  }

  private select(entry: number | null): void {
    this.lanes.select(entry);
    this.table.select(entry);
  }

  private restartTable(): void {
    this.table.reset();
    this.shownRows = 0;
  }

  private flush(): void {
    this.scheduled = false;
    // The engine keeps the newest TIMELINE_LIMIT entries; so does the view.
    if (this.entries.length > TIMELINE_LIMIT) {
      this.entries = this.entries.slice(-TIMELINE_LIMIT);
      this.restartTable();
    }
    if (this.reorder) {
      this.reorder = false;
      this.restartTable();
    }
    this.table.append(this.entries, this.shownRows);
    this.shownRows = this.entries.length;
    const lost = this.watched.timeline.dropped;
    this.dropped.textContent = lost > 0 ? `${count(lost)} older entries dropped.` : "";
    const model = laneModel(this.entries);
    this.lanes.draw(this.entries, model, this.watched.live ? this.watched.timeline.elapsed() : model.lastT);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.flush());
  }

  private load(next: WatchedConnection): void {
    this.subscription.abort();
    this.subscription = new AbortController();
    const signal = this.subscription.signal;
    this.watched = next;
    this.entries = next.timeline.list();
    this.restartTable();
    this.select(null);
    this.lanes.fit();
    next.events.on(
      "reset",
      () => {
        this.entries = [];
        this.restartTable();
        this.select(null);
        this.lanes.fit();
        this.schedule();
      },
      signal,
    );
    next.events.on("finished", () => this.schedule(), signal);
    next.events.on("timeline", (entry) => this.insert(entry), signal);
    this.schedule();
  }

  private insert(entry: TimelineEntry): void {
    let at = this.entries.length;
    while (at > 0 && (this.entries[at - 1] as TimelineEntry).t > entry.t) at--;
    if (at < this.shownRows) this.reorder = true;
    this.entries.splice(at, 0, entry);
    // Bounded between frames too: a hidden panel draws no frames while a page may flood it.
    if (this.entries.length > TIMELINE_LIMIT * 2) {
      this.entries = this.entries.slice(-TIMELINE_LIMIT);
      this.reorder = true;
    }
    this.schedule();
  }

  private fillPicker(): void {
    this.picker.replaceChildren(
      ...this.listed.map((c, i) =>
        Object.assign(document.createElement("option"), { value: String(i), textContent: c.label }),
      ),
    );
    this.picker.value = String(Math.max(0, this.listed.indexOf(this.watched)));
  }
}
