// Firefox's toolbox, after a diagnosis and three recordings on new URLs, fails every
// devtools.inspectedWindow call on the fourth page ("An unexpected error occurred"; Firefox ESR 153,
// every run so far; with its back-forward cache off it did not), so the page is neither read nor
// reloaded with the recorder. The panel cannot repair that: it says so within 10 s, and what
// helps, which is checked here: a toolbox opened afresh records.
import { describe, expect, it } from "vitest";
import { lab } from "../../src/contract/lab-client";
import { reopenToolbox, useFirefoxToolbox } from "./firefox-panel";
import { useFixtureServer } from "./page-fixtures";

const open = useFirefoxToolbox();
const fixtures = useFixtureServer();

/** Recordings on new URLs, until Firefox stops reloading (bounded). */
const PAGES = [
  "channel",
  "never-opens",
  "early-candidates",
  "bad-description",
  "unanswered",
  "healthy",
] as const;

describe("Record when Firefox's toolbox can no longer read the page", () => {
  it("says DevTools cannot read the page and that reopening them helps, and a reopened toolbox records", async () => {
    expect((await lab(open.panel).call("runDiagnosis")).verdict).toBe("pass");
    let refused: unknown = null;
    for (const name of PAGES) {
      await open.page.goto(fixtures.url(name));
      refused = await lab(open.panel)
        .call("recordPage")
        .then(
          () => null,
          (error: unknown) => error,
        );
      if (refused) break;
    }
    // Firefox 153 failed at the fourth page in every run so far; if it never does, this message can go.
    expect(String(refused)).toMatch(
      /DevTools could not read the inspected page for 10 s, before the reload and since \(.+\), so it could not be recorded\. .*otherwise close DevTools and open them again, then record \(Firefox's toolbox/,
    );
    // Nothing was injected into the page that was not reloaded.
    const left = await open.page.evaluate(() =>
      Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith("__loopbackLab")),
    );
    expect(left).toEqual([]);
    await reopenToolbox(open);
    await open.page.goto(fixtures.url("channel"));
    expect(await lab(open.panel).call("recordPage")).toEqual({
      origin: new URL(fixtures.url("channel")).origin,
    });
  }, 180_000);
});
