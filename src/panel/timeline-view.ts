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
  const body = byId("timeline", HTMLTableElement).tBodies[0];
  if (!body) throw new Error("panel.html: the Timeline table lacks a tbody");
  const dropped = byId("timeline-dropped", HTMLSpanElement);
  const picker = byId("timeline-connection", HTMLSelectElement);
  byId("timeline-resolution", HTMLSpanElement).textContent = `clock resolution ${resolutionMs} ms`;

  let watched = connections[0] as WatchedConnection;
  let entries: TimelineEntry[] = [];
  let shownRows = 0;
  let scheduled = false;
  /** An entry stamped with its event's own time landed before rows already shown: redraw the table. */
  let reorder = false;
  let subscription = new AbortController();

  const select = (entry: number | null) => {
    lanes.select(entry);
    table.select(entry);
  };
  const lanes = new TimelineLanes(
    byId("lanes", HTMLFieldSetElement),
    byId("lanes-axis", HTMLDivElement),
    resolutionMs,
    select,
  );
  const table = new TimelineTable(
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
  byId("lanes-fit", HTMLButtonElement).addEventListener("click", () => lanes.fit());

  const flush = () => {
    scheduled = false;
    // The engine keeps the newest TIMELINE_LIMIT entries; so does the view.
    if (entries.length > TIMELINE_LIMIT) {
      entries = entries.slice(-TIMELINE_LIMIT);
      table.reset();
      shownRows = 0;
    }
    if (reorder) {
      reorder = false;
      table.reset();
      shownRows = 0;
    }
    table.append(entries, shownRows);
    shownRows = entries.length;
    const lost = watched.timeline.dropped;
    dropped.textContent = lost > 0 ? `${count(lost)} older entries dropped.` : "";
    const model = laneModel(entries);
    lanes.draw(entries, model, watched.live ? watched.timeline.elapsed() : model.lastT);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  };
  setInterval(() => {
    if (watched.live) schedule();
  }, NOW_TICK_MS);

  const load = (next: WatchedConnection) => {
    subscription.abort();
    subscription = new AbortController();
    watched = next;
    entries = next.timeline.list();
    table.reset();
    shownRows = 0;
    select(null);
    lanes.fit();
    next.events.on(
      "reset",
      () => {
        entries = [];
        table.reset();
        shownRows = 0;
        select(null);
        lanes.fit();
        schedule();
      },
      subscription.signal,
    );
    next.events.on("finished", schedule, subscription.signal);
    next.events.on(
      "timeline",
      (entry) => {
        let at = entries.length;
        while (at > 0 && (entries[at - 1] as TimelineEntry).t > entry.t) at--;
        if (at < shownRows) reorder = true;
        entries.splice(at, 0, entry);
        schedule();
      },
      subscription.signal,
    );
    schedule();
  };

  let listed: readonly WatchedConnection[] = connections;
  const groups = new Map<string, readonly WatchedConnection[]>();
  const fillPicker = () => {
    picker.replaceChildren(
      ...listed.map((c, i) =>
        Object.assign(document.createElement("option"), { value: String(i), textContent: c.label }),
      ),
    );
    picker.value = String(Math.max(0, listed.indexOf(watched)));
  };
  picker.addEventListener("change", () => {
    const next = listed[Number(picker.value)];
    if (next) load(next);
  });
  fillPicker();
  load(watched);
  return {
    show(next) {
      load(next);
      fillPicker();
    },
    setExtra(group, extra) {
      groups.set(group, extra);
      listed = [...connections, ...[...groups.values()].flat()];
      // A connection no longer listed is not shown either.
      if (!listed.includes(watched)) load(connections[0] as WatchedConnection);
      fillPicker();
    },
  };
}
