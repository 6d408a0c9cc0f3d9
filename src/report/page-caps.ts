// What the recorder's caps left out, said beside what is shown (the Page tab, the summary), never
// left for the report's JSON alone: connections and channels the page made beyond them.
import { RECORDER_CAPS } from "../engine/page/page-batch";
import { PAGE_ENTRY_BUDGET } from "../engine/page/page-recording";
import { TIMELINE_LIMIT } from "../engine/watch/timeline";
import { count } from "../format/units";

/** What was left out: by the recorders (per frame, per connection), and by the panel's own list. */
export interface LeftOut {
  untrackedConnections: number;
  notShownConnections?: { count: number; atLeast: boolean; shownAtMost: number } | undefined;
  connections: readonly { id: number; untrackedChannels: number }[];
  /** Older timeline entries let go, over every connection. */
  droppedEntries?: number | undefined;
}

export function capNotes({
  untrackedConnections,
  notShownConnections,
  connections,
  droppedEntries = 0,
}: LeftOut): string[] {
  const notes: string[] = [];
  const notShown = notShownConnections?.count ?? 0;
  if (notShownConnections && notShown > 0)
    notes.push(
      `The page's recorders tracked ${notShownConnections.atLeast ? "at least " : ""}${count(notShown)} more connection${notShown === 1 ? "" : "s"} than the panel keeps (${notShownConnections.shownAtMost} over every frame): not shown, and not in any total.`,
    );
  if (untrackedConnections > 0)
    notes.push(
      `The page made ${count(untrackedConnections)} more connection${untrackedConnections === 1 ? "" : "s"} than the recorder tracks (${RECORDER_CAPS.connections} a frame): not shown, and not in any total.`,
    );
  for (const c of connections)
    if (c.untrackedChannels > 0)
      notes.push(
        `Connection ${c.id} made ${count(c.untrackedChannels)} more channel${c.untrackedChannels === 1 ? "" : "s"} than the recorder tracks (${RECORDER_CAPS.channels}): their messages are not counted in its totals.`,
      );
  if (droppedEntries > 0)
    notes.push(
      `${count(droppedEntries)} older timeline entr${droppedEntries === 1 ? "y was" : "ies were"} let go: each connection keeps its newest ${count(TIMELINE_LIMIT)}, and all of them together ${count(PAGE_ENTRY_BUDGET)}.`,
    );
  return notes;
}
