// The one way in to window.loopbackLab from outside the panel (the command line, the bench, the e2e
// tests): `lab(frame).call("runIceCheck", options)` runs that method in the panel's frame, its
// arguments checked against LoopbackLabApi and its result typed from it. Arguments and results cross
// as values (Puppeteer serialises them, much as JSON does), so a result holds data, not live objects.
// The frame is typed by shape (any Puppeteer Frame or Page fits), so this folder needs no puppeteer.
import type { LabWindow, LoopbackLabApi } from "./automation";
import type { Finding } from "./findings";

type LabMethod = keyof LoopbackLabApi;
type LabArgs<M extends LabMethod> = Parameters<LoopbackLabApi[M]>;
type LabResult<M extends LabMethod> = Awaited<ReturnType<LoopbackLabApi[M]>>;

/** A rejection as the panel saw it: a LabError's name, message, code and (for connect) finding. */
interface LabFailure {
  /** The error's name ("LabError", "TypeError"…), or "Error" for a rejection that is not an object. */
  name: string;
  /** The error's message, or the rejected value as a string. */
  message: string;
  /** A LabError's stable code (a LabErrorCode); absent when the error has no string code. */
  code?: string;
  /** The diagnosed finding of a connect that failed. */
  finding?: Finding;
}

type LabOutcome<T> = { ok: true; value: T } | { ok: false; error: LabFailure };

/**
 * What the client needs of a Puppeteer Frame (or Page) showing the panel: its evaluate and
 * evaluateHandle, at the argument types the client passes.
 */
export interface LabFrame {
  evaluate(
    fn: (method: LabMethod, ...args: unknown[]) => unknown,
    method: LabMethod,
    ...args: unknown[]
  ): Promise<unknown>;
  evaluateHandle(fn: () => LoopbackLabApi): Promise<{
    evaluate(fn: (lab: LoopbackLabApi, ...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown>;
    dispose(): Promise<void>;
  }>;
}

export interface LabClient {
  /** Calls one method in the panel; rejects as the method does (with the error's message only). */
  call<M extends LabMethod>(method: M, ...args: LabArgs<M>): Promise<LabResult<M>>;
  /**
   * Calls one method in the panel and catches its rejection there, where the error still has its
   * code and finding: resolves `{ ok: true, value }` or `{ ok: false, error }`.
   */
  callCatching<M extends LabMethod>(method: M, ...args: LabArgs<M>): Promise<LabOutcome<LabResult<M>>>;
  /**
   * Runs `fn` in the panel with window.loopbackLab as its first argument, for what one call cannot
   * say: calls that must overlap or follow each other without a round trip in between, or compare
   * what they return in the page. Like any evaluated function, `fn` can use only its arguments.
   */
  evaluate<A extends unknown[], R>(
    fn: (lab: LoopbackLabApi, ...args: A) => R,
    ...args: A
  ): Promise<Awaited<R>>;
}

type AnyMethod = (...args: unknown[]) => unknown;

export function lab(frame: LabFrame): LabClient {
  return {
    call<M extends LabMethod>(method: M, ...args: LabArgs<M>) {
      return frame.evaluate(
        (m: LabMethod, ...a: unknown[]) => ((window as LabWindow).loopbackLab[m] as AnyMethod)(...a),
        method,
        ...args,
      ) as Promise<LabResult<M>>;
    },
    callCatching<M extends LabMethod>(method: M, ...args: LabArgs<M>) {
      return frame.evaluate(
        (m: LabMethod, ...a: unknown[]) =>
          Promise.resolve(((window as LabWindow).loopbackLab[m] as AnyMethod)(...a)).then(
            (value) => ({ ok: true as const, value }),
            (e: unknown) => {
              const r = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
              return {
                ok: false as const,
                error: {
                  name: typeof r.name === "string" ? r.name : "Error",
                  message: typeof r.message === "string" ? r.message : String(e),
                  ...(typeof r.code === "string" ? { code: r.code } : {}),
                  ...(r.finding !== undefined ? { finding: r.finding } : {}),
                },
              };
            },
          ),
        method,
        ...args,
      ) as Promise<LabOutcome<LabResult<M>>>;
    },
    async evaluate<A extends unknown[], R>(
      fn: (lab: LoopbackLabApi, ...args: A) => R,
      ...args: A
    ): Promise<Awaited<R>> {
      const api = await frame.evaluateHandle(() => (window as LabWindow).loopbackLab);
      try {
        return (await api.evaluate(
          fn as (lab: LoopbackLabApi, ...args: unknown[]) => unknown,
          ...args,
        )) as Awaited<R>;
      } finally {
        // A panel that reloaded or closed has dropped the handle already.
        await api.dispose().catch(() => undefined);
      }
    },
  };
}
