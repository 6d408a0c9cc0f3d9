// A page that answers every drain of Record page connections with the largest forged batch the
// schema lets through (page-fixtures/flood.html): 2000 events out of order, unrepeated 200-character
// strings everywhere, three frames taking turns and new ones. For a minute the panel's heap is
// measured after a garbage collection, through the panel frame's own DevTools protocol session
// (page-attacks.ts has the scenario and its bound; Firefox's toolbox runs it too).
import type { CDPSession } from "puppeteer-core";
import { describe, it } from "vitest";
import { useChromePanel } from "./chrome-panel";
import { floodedForAMinute } from "./page-attacks";
import { useFixtureServer } from "./page-fixtures";

const fixtures = useFixtureServer();
const open = useChromePanel({ undocked: true }, 60_000);

describe("a page that floods every drain with the largest forged batch", () => {
  it("keeps the panel's heap bounded for a minute, takes the batches, and announces its caps", async () => {
    // Puppeteer gives an out-of-process frame its own session: this one measures the panel alone.
    const client = (open.panel as unknown as { client: CDPSession }).client;
    await floodedForAMinute(open, fixtures, async () => {
      await client.send("HeapProfiler.collectGarbage");
      return (await client.send("Runtime.getHeapUsage")).usedSize / 1e6;
    });
  }, 120_000);
});
