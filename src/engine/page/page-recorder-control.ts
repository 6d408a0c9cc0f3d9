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
/**
 * DevTools that could not read the page at all for this long, from before the reload on, will not:
 * Firefox's toolbox, after a diagnosis and three recordings on new pages, failed every
 * inspectedWindow call ("An unexpected error occurred") until it was closed and opened again.
 */
const UNREADABLE_MS = 10_000;
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
    // A failed read counts from before the reload: DevTools that cannot read the page at all is
    // said within UNREADABLE_MS, not after the whole load bound.
    const unreadable = new UnreadableSince();
    const before = await this.read("location.origin").then(unreadable.answered, unreadable.failed);
    this.target.begin(typeof before === "string" ? before : "");
    this.page.reload(`(${this.recorderSource})(${JSON.stringify(this.key)});`);
    this.recording = true;
    this.say("Reloading the page with the recorder…");
    const loaded = await this.waitForLoad(generation, unreadable);
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

  private async waitForLoad(
    generation: number,
    unreadable: UnreadableSince,
  ): Promise<{ origin: string; recorder: boolean }> {
    const key = JSON.stringify(this.key);
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    // The old document may still answer for a moment after reload(): wait for the one with this recorder.
    for (;;) {
      if (generation !== this.generation) throw new LabError("cancelled", "Recording was stopped.");
      const state = await this.read(
        `({ready: document.readyState, origin: location.origin, recorder: Object.prototype.hasOwnProperty.call(window, ${key})})`,
      ).then(unreadable.answered, unreadable.failed);
      if (isLoadState(state) && state.ready === "complete" && state.recorder)
        return { origin: state.origin, recorder: true };
      const failing = unreadable.forMs();
      if (failing !== null && failing >= UNREADABLE_MS) {
        this.stop();
        throw new LabError(
          "timeout",
          `DevTools could not read the inspected page for ${UNREADABLE_MS / 1000} s, before the reload and since (${unreadable.lastError}), so it could not be recorded. Where the page is one extensions may not read (the browser's own pages, its extension store), record another; otherwise close DevTools and open them again, then record (Firefox's toolbox was seen to fail so after a few recordings on new pages, until reopened).`,
        );
      }
      if (Date.now() > deadline) {
        this.poll(generation);
        throw new LabError(
          "timeout",
          `The page did not finish loading with the recorder within ${LOAD_TIMEOUT_MS / 1000} s; recording goes on in case it does.`,
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

function isLoadState(value: unknown): value is { ready: string; origin: string; recorder: boolean } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.ready === "string" && typeof v.origin === "string" && typeof v.recorder === "boolean";
}

/**
 * Since when every read of the page failed, and with what; a read that answers, or that only ran out
 * of time, starts it again.
 */
class UnreadableSince {
  private since: number | null = null;
  lastError = "";

  readonly answered = (value: unknown): unknown => {
    this.since = null;
    return value;
  };

  readonly failed = (error: unknown): null => {
    // A read that ran out of time met a busy page, not DevTools that cannot read it.
    if (error instanceof LabError && error.code === "timeout") {
      this.since = null;
      return null;
    }
    this.since ??= Date.now();
    // The page can make a read throw its own words: capped, as every string from it.
    this.lastError = errorMessage(error).slice(0, 200);
    return null;
  };

  /** How long every read has failed, or null if the last one answered. */
  forMs(): number | null {
    return this.since === null ? null : Date.now() - this.since;
  }
}
