// A job: one piece of work the Lab runs at most once at a time (the diagnosis, a throughput or a
// latency run, the ICE-server check, recording the page), with its busy state, its progress, its
// last result and cancellation by AbortSignal. Jobs that share a gate also exclude each other:
// measuring two things at once would measure neither honestly.
import { Emitter } from "./emitter";
import { LabError } from "./errors";

export interface JobEvents<R, P> {
  /** True as a run starts, false once it has ended either way. */
  busy: boolean;
  progress: P;
  /** A run's result (a stopped run that resolves with what it had counts too). */
  result: R;
}

export interface JobContext<P> {
  /** Aborts when the job is cancelled; its reason is a LabError "cancelled". */
  readonly signal: AbortSignal;
  progress(progress: P): void;
}

/** Jobs that must not run at the same time share one gate. */
export class JobGate {
  private holder: { readonly title: string } | null = null;

  /** Takes the gate for `job`, or refuses with "busy", naming the job that holds it. */
  claim(job: { readonly title: string }): void {
    if (this.holder)
      throw new LabError(
        "busy",
        `${this.holder.title} is going on; stop it (Stop) or wait for it to end, then try again.`,
      );
    this.holder = job;
  }

  release(job: { readonly title: string }): void {
    if (this.holder === job) this.holder = null;
  }
}

/** A job as Stop sees it, whatever it takes and gives. */
export interface StoppableJob {
  readonly title: string;
  readonly busy: boolean;
  cancel(): void;
  /** Hears the job go busy and idle; returns the unsubscribe function. */
  onBusy(listener: (busy: boolean) => void): () => void;
}

export abstract class Job<O, R, P = never> implements StoppableJob {
  readonly events = new Emitter<JobEvents<R, P>>();
  private active: { stop: AbortController; promise?: Promise<R> } | null = null;
  private lastResult: R | null = null;

  /** `title` names the job in a sentence ("The diagnosis", "A throughput run"). */
  constructor(
    readonly title: string,
    private readonly gate: JobGate = new JobGate(),
  ) {}

  protected abstract work(options: O, context: JobContext<P>): Promise<R>;

  get busy(): boolean {
    return this.active !== null;
  }

  /** The run going on, to join it; null when idle. */
  get running(): Promise<R> | null {
    return this.active?.promise ?? null;
  }

  /** The latest run's result; null until one has ended with one. */
  get last(): R | null {
    return this.lastResult;
  }

  /**
   * Starts a run; rejects with "busy" while this job or another behind the same gate runs. When the
   * returned promise settles, the job is idle again.
   */
  run(options: O): Promise<R> {
    try {
      this.gate.claim(this);
    } catch (error) {
      return Promise.reject(error);
    }
    const active: { stop: AbortController; promise?: Promise<R> } = { stop: new AbortController() };
    this.active = active;
    this.events.emit("busy", true);
    const context: JobContext<P> = {
      signal: active.stop.signal,
      progress: (progress) => this.events.emit("progress", progress),
    };
    // Called at once, inside a promise: a check that throws becomes this run's rejection.
    const working = (async () => this.work(options, context))();
    active.promise = working.then(
      (result) => {
        this.end();
        this.lastResult = result;
        this.events.emit("result", result);
        this.events.emit("busy", false);
        return result;
      },
      (error: unknown) => {
        this.end();
        this.events.emit("busy", false);
        throw error;
      },
    );
    return active.promise;
  }

  onBusy(listener: (busy: boolean) => void): () => void {
    return this.events.on("busy", listener);
  }

  /** Ends the run going on, if any: its work sees the signal abort. */
  cancel(reason: unknown = new LabError("cancelled", "Stopped.")): void {
    this.active?.stop.abort(reason);
  }

  private end(): void {
    this.active = null;
    this.gate.release(this);
  }
}

/** A job whose work is a function: for jobs with no state of their own. */
export function jobOf<O, R, P = never>(
  title: string,
  work: (options: O, context: JobContext<P>) => Promise<R>,
  gate?: JobGate,
): Job<O, R, P> {
  return new (class extends Job<O, R, P> {
    protected work(options: O, context: JobContext<P>): Promise<R> {
      return work(options, context);
    }
  })(title, gate);
}
