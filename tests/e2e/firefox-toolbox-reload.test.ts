// Firefox's toolbox, after a diagnosis and a few recordings on new URLs, stops reloading the page
// for inspectedWindow.reload with an injected script (Firefox ESR 153: the fourth recording, in
// every run so far; with its back-forward cache off it did not). Likely cause, from Firefox's
// source: its devtools server ignores such a reload while it counts an earlier one as under way
// ("Reload already in progress"), and that one never ends. The panel cannot repair that: it says the
// page was not reloaded and what helps, which is checked here: a toolbox opened afresh records.
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

describe("Record when Firefox's toolbox does not reload the page", () => {
  it("says the page was not reloaded and that reopening DevTools helps, and a reopened toolbox records", async () => {
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
    // Firefox 153 stopped at the fourth page in every run so far; if it never stops, this message
    // (and the work-around) can go.
    expect(String(refused)).toMatch(
      /The browser did not reload the page within 30 s: it still shows the document loaded before Record\. .*close DevTools and open them again, then record\./,
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
