// What the recorder's caps left out, said beside what is shown (the Page tab, the summary), never
// left for the report's JSON alone: connections and channels the page made beyond them.
import { RECORDER_CAPS } from "../engine/page/page-batch";
import { count } from "../format/units";

export function capNotes(
  untrackedConnections: number,
  connections: readonly { id: number; untrackedChannels: number }[],
): string[] {
  const notes: string[] = [];
  if (untrackedConnections > 0)
    notes.push(
      `The page made ${count(untrackedConnections)} more connection${untrackedConnections === 1 ? "" : "s"} than the recorder tracks (${RECORDER_CAPS.connections} a frame): not shown, and not in any total.`,
    );
  for (const c of connections)
    if (c.untrackedChannels > 0)
      notes.push(
        `Connection ${c.id} made ${count(c.untrackedChannels)} more channel${c.untrackedChannels === 1 ? "" : "s"} than the recorder tracks (${RECORDER_CAPS.channels}): their messages are not counted in its totals.`,
      );
  return notes;
}
