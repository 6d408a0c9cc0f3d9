// The timeline's order is the browser's, in the real Chrome DevTools panel (event-order.ts says how).
import { describe, it } from "vitest";
import { useChromePanel } from "./chrome-panel";
import { checkEventOrder } from "./event-order";

const open = useChromePanel();

describe("the timeline's order", () => {
  it("is the order in which the browser fired the events, at the events' own times", async () => {
    await checkEventOrder(open.panel, 0.2);
  });
});
