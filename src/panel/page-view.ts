// The Page tab and the toolbar's Record page connections: the inspected page's own connections in
// the shared connection tables, the recorder's status and what its caps left out. Everything here
// came from the page: drawn at most once per animation frame however fast the page produces events.

import { errorMessage } from "../engine/core/errors";
import type { PageWatch } from "../engine/page/page-watch";
import { counted } from "../format/units";
import { capNotes } from "../report/page-caps";
import { connectionTables, MAX_ROWS } from "./connection-tables";
import { byId, textElement } from "./elements";
import type { TimelineView } from "./timeline-view";

export function mountPageView(page: PageWatch, timeline: TimelineView): void {
  const record = byId("record-page", HTMLButtonElement);
  const status = byId("page-status", HTMLParagraphElement);
  const drawCaps = capsView(page);
  const drawTables = connectionTables(
    {
      ids: { connections: "page-connections", channels: "page-channels", findings: "page-findings" },
      noun: "page connection",
      sendSideRecorded: true,
    },
    timeline,
  );

  let scheduled = false;
  const draw = () => {
    scheduled = false;
    drawCaps();
    drawTables(page.connections);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(draw);
  };

  page.recording.events.on("connections", (list) => {
    timeline.setExtra(
      "page",
      list.map((c) => c.watched),
    );
    schedule();
  });
  page.recording.events.on("updated", schedule);
  // The rates are sampled every 250 ms: redraw with them while a connection is live.
  setInterval(() => {
    if (page.connections.some((c) => c.watched.live)) schedule();
  }, 1000);
  page.recording.events.on("refused", (why) => {
    status.textContent = why;
    status.dataset.level = "warn";
  });
  page.recorder.events.on("status", ({ recording, text }) => {
    status.textContent = text;
    status.dataset.level = "info";
    record.textContent = recording ? "Record again" : "Record page connections";
  });
  record.addEventListener("click", () => {
    page.job.run(undefined).catch((error: unknown) => {
      status.textContent = errorMessage(error);
      status.dataset.level = "error";
    });
  });
}

/** What the caps left out (the recorder's, and this list's), redrawn only when it changes. */
function capsView(page: PageWatch): () => void {
  const caps = byId("page-caps", HTMLUListElement);
  let shown = "";
  return () => {
    const notes = capNotes({
      untrackedConnections: page.recording.untrackedConnections,
      notShownConnections: page.recording.notShownConnections,
      connections: page.connections,
      droppedEntries: page.recording.droppedEntries,
    });
    if (page.connections.length > MAX_ROWS)
      notes.unshift(`Showing the first ${MAX_ROWS} of ${counted(page.connections.length, "connection")}.`);
    if (notes.join("\n") === shown) return;
    shown = notes.join("\n");
    caps.replaceChildren(...notes.map((note) => textElement("li", note)));
    caps.hidden = notes.length === 0;
  };
}
