// A watched connection's timeline as a table (every entry) and as swim lanes (one lane per object), updated live
// but drawn at most once per animation frame.

import { TIMELINE_LIMIT, TIMELINE_SOURCES, type TimelineEntry } from "../engine/watch/timeline";
import type { WatchedConnection } from "../engine/watch/watched-connection";
import { count, timestamp } from "../format/units";
import { byId, textElement } from "./elements";

export function mountTimelineView(watched: WatchedConnection, resolutionMs: number): void {
  const body = byId("timeline", HTMLTableElement).tBodies[0];
  const lanes = byId("lanes", HTMLDivElement);
  const dropped = byId("timeline-dropped", HTMLSpanElement);
  byId("timeline-resolution", HTMLSpanElement).textContent = `Clock resolution here: ${resolutionMs} ms.`;
  if (!body) throw new Error("panel.html: the Timeline table lacks a tbody");

  let pending: TimelineEntry[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    for (const entry of pending) body.append(row(entry, resolutionMs));
    pending = [];
    while (body.rows.length > TIMELINE_LIMIT) body.rows[0]?.remove();
    const lost = watched.timeline.dropped;
    dropped.textContent = lost > 0 ? `${count(lost)} older entries dropped.` : "";
    drawLanes(lanes, watched.timeline.list(), resolutionMs);
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(flush);
  };
  watched.events.on("reset", () => {
    pending = [];
    body.replaceChildren();
    schedule();
  });
  watched.events.on("timeline", (entry) => {
    pending.push(entry);
    schedule();
  });
  drawLanes(lanes, [], resolutionMs);
}

function row(entry: TimelineEntry, resolutionMs: number): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.dataset.source = entry.source;
  tr.dataset.property = entry.property;
  const value = textElement("td", entry.value);
  if (entry.synthetic) {
    value.classList.add("synthetic");
    value.title = "Read by the engine after close(): browsers fire no event for it.";
  }
  const detail = entry.detail
    ? Object.entries(entry.detail)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ")
    : "";
  tr.append(
    textElement("td", timestamp(entry.t, resolutionMs)),
    textElement("td", entry.source),
    textElement("td", entry.property),
    value,
    textElement("td", `${detail}${entry.synthetic ? " (after close())" : ""}`),
  );
  return tr;
}

function drawLanes(container: HTMLElement, entries: TimelineEntry[], resolutionMs: number): void {
  const end = Math.max(1, ...entries.map((e) => e.t));
  container.replaceChildren(
    ...TIMELINE_SOURCES.flatMap((source) => {
      const lane = document.createElement("div");
      lane.className = "lane";
      for (const entry of entries) {
        if (entry.source !== source) continue;
        const mark = document.createElement("span");
        mark.className = "mark";
        mark.dataset.value = entry.value;
        mark.dataset.kind = entry.property;
        mark.style.left = `${(entry.t / end) * 100}%`;
        mark.title = `${timestamp(entry.t, resolutionMs)} ms · ${entry.property}: ${entry.value}`;
        lane.append(mark);
      }
      return [textElement("div", source, "name"), lane];
    }),
  );
}
