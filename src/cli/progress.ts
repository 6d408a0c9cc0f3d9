// Progress on stderr that never goes quiet: while the command waits (a browser starting, ICE, a run)
// it says what for, how long so far, and how long at most, at least every 2 s in a log, or as one
// updating line on a terminal. Results never go here: they go to stdout.
import type { Scaling } from "../engine/diagnose/diagnosis-steps";
import { terminalText } from "./terminal-text";

/** How often a log hears that the wait goes on: under the 2 s a CI log reader should ever wait. */
const HEARTBEAT_MS = 1500;

export interface ProgressOptions {
  quiet: boolean;
  /** A terminal gets one line rewritten in place; a log gets a line per update. */
  interactive: boolean;
  write(text: string): void;
  now?: () => number;
}

interface Wait {
  what: string;
  since: number;
  timeoutMs: number | null;
  scaling: Scaling | null;
}

export class Progress {
  private wait: Wait | null = null;
  private lastLine = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private onLine = false;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** A line that stands on its own (a step done, a notice). */
  say(line: string): void {
    if (this.options.quiet) return;
    this.clearLine();
    this.options.write(`${terminalText(line)}\n`);
    this.lastLine = this.now();
  }

  /** Starts (or replaces) what the command is waiting for; `timeoutMs` is its bound, where known. */
  waitFor(what: string, timeoutMs: number | null, scaling: Scaling | null = null): void {
    this.wait = { what, since: this.now(), timeoutMs, scaling };
    if (this.options.quiet) return;
    this.tick(true);
    this.timer ??= setInterval(() => this.tick(false), 250);
  }

  /** Nothing is waited for any more. */
  done(): void {
    this.wait = null;
    clearInterval(this.timer);
    this.timer = undefined;
    this.clearLine();
  }

  private tick(force: boolean): void {
    const wait = this.wait;
    if (!wait) return;
    const now = this.now();
    if (!this.options.interactive && !force && now - this.lastLine < HEARTBEAT_MS) return;
    const waited = ((now - wait.since) / 1000).toFixed(1);
    const limit = limitText(wait, now);
    // A log gets the start as a line of its own, then how long it has waited.
    const what = terminalText(wait.what);
    const text = force && !this.options.interactive ? `${what} …` : `${what}: waiting ${waited} s${limit}`;
    if (this.options.interactive) {
      this.options.write(`\r\x1b[2K${text}`);
      this.onLine = true;
    } else {
      this.options.write(`${text}\n`);
    }
    this.lastLine = now;
  }

  private clearLine(): void {
    if (!this.onLine) return;
    this.options.write("\r\x1b[2K");
    this.onLine = false;
  }
}

function limitText(wait: Wait, now: number): string {
  if (wait.timeoutMs === null) return "";
  const bound = `${Math.round(wait.timeoutMs / 1000)} s`;
  if (!wait.scaling) return ` of at most ${bound}`;
  // Past a bound that scales, the line says why instead of showing a broken promise.
  return now - wait.since <= wait.timeoutMs
    ? ` of at most ${bound} ${wait.scaling.within}`
    : `, past ${bound}: ${wait.scaling.past}`;
}
