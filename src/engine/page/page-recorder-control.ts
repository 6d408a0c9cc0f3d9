// Recording the inspected page's connections, like the Performance panel's "Start profiling and
// reload page": reload the page with the recorder injected before any of its scripts, wait (bounded)
// until it has loaded, then drain the recorder a few times a second into the PageRecording. The
// DevTools calls come through an InspectedPage port the panel provides, so this holds the logic only.
import { Emitter } from "../core/emitter";
import { errorMessage, LabError, within } from "../core/errors";
import type { PageRecording } from "./page-recording";

/** What the panel gives: devtools.inspectedWindow's reload and eval. */
export interface InspectedPage {
  /** Reloads the inspected page with this script run before any of its own. */
  reload(injectedScript: string): void;
  /** Evaluates an expression in the page's top frame; rejects with the page's exception. */
  evaluate(expression: string): Promise<unknown>;
  /** The URLs of the page's documents (the top one and its frames), where the browser lists them. */
  documentUrls?(): Promise<string[]>;
}

export interface PageRecorderEvents {
  /** Recording on or off, and what the person should know, in words. */
  status: { recording: boolean; text: string };
}

const POLL_INTERVAL_MS = 250;
/** A page that has not loaded by then is reported, and recording goes on. */
const LOAD_TIMEOUT_MS = 30_000;
/** How often (in drains) the page's frames are counted again. */
const FRAME_REFRESH_TICKS = 8;
/** One drain that takes longer than this (a page whose main thread is busy) is skipped, not awaited forever. */
const DRAIN_TIMEOUT_MS = 5000;

export class PageRecorderControl {
  readonly events = new Emitter<PageRecorderEvents>();
  private key = "";
  private timer: ReturnType<typeof setTimeout> | undefined;
  private recording = false;
  private generation = 0;
  private framesNoted = 0;

  constructor(
    private readonly target: PageRecording,
    private readonly page: InspectedPage | null,
    private readonly recorderSource: string,
  ) {}

  /**
   * Reloads the inspected page with the recorder and resolves once it has loaded with the recorder
   * in place. Connections made before this are not recorded: recording begins at the reload.
   */
  async record(): Promise<{ origin: string }> {
    if (!this.page)
      throw new LabError(
        "not-open",
        "Recording page connections needs the panel inside DevTools (devtools.inspectedWindow); this page is not.",
      );
    this.stop();
    const generation = ++this.generation;
    this.framesNoted = 0;
    this.key = `__loopbackLabRecorder_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const before = await this.read(DOCUMENT_EXPRESSION).catch(() => null);
    this.target.begin(isDocument(before) ? before.origin : "");
    this.page.reload(`(${this.recorderSource})(${JSON.stringify(this.key)});`);
    this.recording = true;
    this.say("Reloading the page with the recorder…");
    const loaded = await this.waitForLoad(generation, isDocument(before) ? before.timeOrigin : null);
    this.target.begin(loaded.origin);
    this.poll(generation);
    this.say(`Recording ${loaded.origin}: connections made from the reload on.`);
    return { origin: loaded.origin };
  }

  /**
   * DevTools is closing: stop polling and remove the recorder from the page (its own classes and
   * methods back, its timers ended, its global gone). Best effort: the page may not answer in time.
   */
  release(): void {
    const key = JSON.stringify(this.key);
    this.stop();
    if (!this.page || !this.key) return;
    this.page
      .evaluate(
        `(function(){var r=Object.getOwnPropertyDescriptor(window,${key});if(r&&r.value&&typeof r.value.stop==="function")r.value.stop();return true})()`,
      )
      .catch(() => undefined);
  }

  /** Stops polling; what was recorded stays. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.recording) {
      this.recording = false;
      this.generation++;
      this.say("Recording stopped; what was recorded stays.");
    }
  }

  private drainExpression(): string {
    const key = JSON.stringify(this.key);
    const acked = this.target.acknowledged;
    return `(function(){var r=Object.getOwnPropertyDescriptor(window,${key});return r&&r.value&&typeof r.value.drain==="function"?r.value.drain(${acked}):null})()`;
  }

  /** `before`: the time origin of the document shown before the reload, where it was read. */
  private async waitForLoad(
    generation: number,
    before: number | null,
  ): Promise<{ origin: string; recorder: boolean }> {
    const key = JSON.stringify(this.key);
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    // The old document may still answer for a moment after reload(): wait for the one with this recorder.
    for (;;) {
      if (generation !== this.generation) throw new LabError("cancelled", "Recording was stopped.");
      const state = await this.read(
        `({ready: document.readyState, origin: location.origin, timeOrigin: performance.timeOrigin, recorder: Object.prototype.hasOwnProperty.call(window, ${key})})`,
      ).catch(() => null);
      if (isLoadState(state) && state.ready === "complete" && state.recorder)
        return { origin: state.origin, recorder: true };
      if (Date.now() > deadline) {
        this.poll(generation);
        throw new LabError(
          "timeout",
          notLoadedWords(before !== null && isDocument(state) && state.timeOrigin === before),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private poll(generation: number): void {
    let ticks = 0;
    const tick = async () => {
      if (generation !== this.generation) return;
      try {
        if (ticks++ % FRAME_REFRESH_TICKS === 0) await this.noteFrames();
        const batch = await this.read(this.drainExpression());
        if (generation !== this.generation) return;
        if (batch === null) {
          this.target.documentLeft();
          this.stop();
          this.say(
            "The page navigated or reloaded without the recorder: press Record page connections again.",
          );
          return;
        }
        this.target.ingest(batch);
      } catch (error) {
        this.say(`Could not read the page's recorder: ${errorMessage(error)}`);
      }
      if (generation === this.generation) this.timer = setTimeout(tick, POLL_INTERVAL_MS);
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Chrome runs the injected script in the top frame only (checked: a frame of the inspected page has
   * no recorder), so connections made in frames are not seen; say so when the page has frames.
   */
  private async noteFrames(): Promise<void> {
    if (!this.page?.documentUrls) return;
    const top = await this.read("location.href").catch(() => "");
    const frames = (await this.page.documentUrls().catch(() => [] as string[])).filter((url) => url !== top);
    const note = frames.length;
    if (note === this.framesNoted) return;
    this.framesNoted = note;
    if (note > 0)
      this.say(
        `Recording the top frame of ${this.target.origin}. This page has ${note} frame${note === 1 ? "" : "s"}: the recorder runs in the top frame only, so connections made in frames are not shown.`,
      );
  }

  private read(expression: string): Promise<unknown> {
    const page = this.page as InspectedPage;
    return within(
      page.evaluate(expression),
      DRAIN_TIMEOUT_MS,
      () => new LabError("timeout", `the page did not answer within ${DRAIN_TIMEOUT_MS / 1000} s`),
    );
  }

  private say(text: string): void {
    this.events.emit("status", { recording: this.recording, text });
  }
}

/** Which document the page shows: a reload gives a new one, with its own time origin. */
const DOCUMENT_EXPRESSION = "({origin: location.origin, timeOrigin: performance.timeOrigin})";

/** What the page said of its document (the page can write these: they choose words, nothing more). */
function isDocument(value: unknown): value is { origin: string; timeOrigin: number } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.origin === "string" && typeof v.timeOrigin === "number";
}

function isLoadState(value: unknown): value is { ready: string; origin: string; recorder: boolean } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.ready === "string" && typeof v.origin === "string" && typeof v.recorder === "boolean";
}

/**
 * Why recording did not begin. Firefox's toolbox was seen ignoring reload() with an injected script
 * for good after the page had moved through its back-forward cache (the document stayed the old one);
 * a toolbox opened afresh reloads again.
 */
export function notLoadedWords(sameDocument: boolean): string {
  return sameDocument
    ? `The browser did not reload the page within ${LOAD_TIMEOUT_MS / 1000} s: it still shows the document loaded before Record. Firefox's toolbox can stop reloading with an injected script after the page went through its back-forward cache; close DevTools and open them again, then record. Recording goes on in case the reload comes.`
    : `The page did not finish loading with the recorder within ${LOAD_TIMEOUT_MS / 1000} s; recording goes on in case it does.`;
}
