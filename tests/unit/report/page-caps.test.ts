import { describe, expect, it } from "vitest";
import { capNotes } from "../../../src/report/page-caps";

describe("capNotes", () => {
  it("says what the recorder's caps left out, and nothing when they left out nothing", () => {
    expect(capNotes({ untrackedConnections: 0, connections: [{ id: 1, untrackedChannels: 0 }] })).toEqual([]);
    expect(
      capNotes({ untrackedConnections: 100, connections: [{ id: 3, untrackedChannels: 1936 }] }),
    ).toEqual([
      "The page made 100 more connections than the recorder tracks (100 a frame): not shown, and not in any total.",
      "Connection 3 made 1,936 more channels than the recorder tracks (64): their messages are not counted in its totals.",
    ]);
  });

  it("says what the panel's own list had no room for, and when it stopped counting", () => {
    const notShown = (count: number, atLeast: boolean) =>
      capNotes({
        untrackedConnections: 0,
        notShownConnections: { count, atLeast, shownAtMost: 300 },
        connections: [],
      });
    expect(notShown(0, false)).toEqual([]);
    expect(notShown(1, false)).toEqual([
      "The page's recorders tracked 1 more connection than the panel keeps (300 over every frame): not shown, and not in any total.",
    ]);
    expect(notShown(10_000, true)).toEqual([
      "The page's recorders tracked at least 10,000 more connections than the panel keeps (300 over every frame): not shown, and not in any total.",
    ]);
  });
});
