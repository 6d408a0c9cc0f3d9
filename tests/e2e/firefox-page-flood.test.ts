// The flood of page-attacks.ts in Firefox's own toolbox: the heap measured is the panel's process
// (the extension's, so its background too) after a garbage collection, read by a frame script.
import { describe, it } from "vitest";
import { useFirefoxToolbox } from "./firefox-panel";
import { floodedForAMinute } from "./page-attacks";
import { useFixtureServer } from "./page-fixtures";

const fixtures = useFixtureServer();
const open = useFirefoxToolbox();

describe("a page that floods every drain with the largest forged batch, in Firefox's toolbox", () => {
  it("keeps the panel's heap bounded for a minute, takes the batches, and announces its caps", async () => {
    await floodedForAMinute(open, fixtures, async () => (await open.panel.heapBytes()) / 1e6);
  }, 120_000);
});
