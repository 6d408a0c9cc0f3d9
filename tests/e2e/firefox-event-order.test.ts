// The timeline's order is the browser's in Firefox too (event-order.ts says how). Firefox rounds
// event times to 1 ms, so the offsets may spread by that much.
import { describe, it } from "vitest";
import { checkEventOrder } from "./event-order";
import { useFirefoxToolbox } from "./firefox-panel";

const open = useFirefoxToolbox();

describe("the timeline's order in Firefox", () => {
  it("is the order in which the browser fired the events, at the events' own times", async () => {
    await checkEventOrder(open.panel, 1);
  });
});
