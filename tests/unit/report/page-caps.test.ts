import { describe, expect, it } from "vitest";
import { capNotes } from "../../../src/report/page-caps";

describe("capNotes", () => {
  it("says what the recorder's caps left out, and nothing when they left out nothing", () => {
    expect(capNotes(0, [{ id: 1, untrackedChannels: 0 }])).toEqual([]);
    expect(capNotes(100, [{ id: 3, untrackedChannels: 1936 }])).toEqual([
      "The page made 100 more connections than the recorder tracks (100 a frame): not shown, and not in any total.",
      "Connection 3 made 1,936 more channels than the recorder tracks (64): their messages are not counted in its totals.",
    ]);
  });
});
