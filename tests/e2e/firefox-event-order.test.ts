// The timeline's order is the browser's in Firefox too (event-order.ts says how). Firefox rounds
// event times to 1 ms, so the offsets may spread by that much.
import type { Frame } from "puppeteer-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { checkEventOrder } from "./event-order";
import { type OpenFirefoxPanel, openPanel } from "./firefox-panel";

let open: OpenFirefoxPanel;
let panel: Frame;
beforeAll(async () => {
  open = await openPanel();
  panel = open.panel;
});
afterAll(async () => open?.close());

describe("the timeline's order in Firefox", () => {
  it("is the order in which the browser fired the events, at the events' own times", async () => {
    await checkEventOrder(panel, 1);
  });
});
