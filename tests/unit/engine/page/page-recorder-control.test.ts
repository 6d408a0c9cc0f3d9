// Record's bounded wait for the reloaded page, against a stand-in for DevTools' inspectedWindow:
// DevTools that cannot read the page at all is said within 10 s, with its error; a page too busy
// to answer is waited for up to the load bound, and never blamed on DevTools.
import Ajv from "ajv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type InspectedPage, PageRecorderControl } from "../../../../src/engine/page/page-recorder-control";
import { PageRecording } from "../../../../src/engine/page/page-recording";

const recording = () => new PageRecording(new Ajv().compile({}));

/** Starts Record against `page` and lets the fake clock run `ms`; what record() gave, by then. */
async function recordFor(page: InspectedPage, ms: number) {
  const control = new PageRecorderControl(recording(), page, "function(){}");
  let outcome: { error?: string; origin?: string } | null = null;
  void control.record().then(
    ({ origin }) => {
      outcome = { origin };
    },
    (error: Error) => {
      outcome = { error: error.message };
    },
  );
  await vi.advanceTimersByTimeAsync(ms);
  control.stop();
  return outcome as { error?: string; origin?: string } | null;
}

describe("Record's wait for the reloaded page", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("says within 10 s that DevTools cannot read the page, with the browser's error", async () => {
    // Firefox's toolbox, measured: every inspectedWindow call failed on the fourth new page.
    const broken: InspectedPage = {
      reload: () => undefined,
      evaluate: () => Promise.reject(new Error("An unexpected error occurred")),
    };
    expect(await recordFor(broken, 9_000)).toBeNull();
    expect((await recordFor(broken, 11_000))?.error).toMatch(
      /^DevTools could not read the inspected page for 10 s, before the reload and since \(An unexpected error occurred\), so it could not be recorded\./,
    );
  });

  it("waits the whole load bound for a page too busy to answer, and does not blame DevTools", async () => {
    const busy: InspectedPage = { reload: () => undefined, evaluate: () => new Promise(() => undefined) };
    expect(await recordFor(busy, 20_000)).toBeNull();
    expect((await recordFor(busy, 40_000))?.error).toMatch(
      /^The page did not finish loading with the recorder within 30 s/,
    );
  });

  it("records once the reloaded page answers with the recorder in place", async () => {
    let reloaded = false;
    const page: InspectedPage = {
      reload: () => {
        reloaded = true;
      },
      evaluate: async (expression) =>
        expression === "location.origin"
          ? "http://127.0.0.1:8000"
          : { ready: "complete", origin: "http://127.0.0.1:8000", recorder: reloaded },
    };
    expect(await recordFor(page, 1_000)).toEqual({ origin: "http://127.0.0.1:8000" });
  });
});
