// The timeline's order is the browser's, in the real Chrome DevTools panel (event-order.ts says how).
import type { Frame } from "puppeteer-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type OpenPanel, openPanel } from "./chrome-panel";
import { checkEventOrder } from "./event-order";

let open: OpenPanel;
let panel: Frame;
beforeAll(async () => {
  open = await openPanel();
  panel = open.panel;
});
afterAll(async () => open?.close());

describe("the timeline's order", () => {
  it("is the order in which the browser fired the events, at the events' own times", async () => {
    await checkEventOrder(panel, 0.2);
  });
});
