// The calls that shape a page connection, with their outcomes: descriptions made and set (their
// type, how many candidates they held, whether they had a data section), candidates added (type,
// protocol, family; never the address), ICE restarts, and the configuration (server URLs without
// credentials, and the policies). The page gets the very promise, value and error it would get
// without the recorder; the recorder only listens to it.

import type { TracedCall } from "../engine/page/page-batch";
import { type ConnectionRecord, type Detail, MAX_TEXT, type RecorderState } from "./recorder-state";

export class CallTracer {
  /** Captured before the page runs: a page that patches Promise.prototype.then does not see this. */
  private readonly nativeThen = Promise.prototype.then;

  constructor(private readonly state: RecorderState) {}

  /**
   * Records the call's outcome once its promise settles, and hands the very promise back.
   * `detail` says what a success carried.
   */
  trace<T>(
    conn: ConnectionRecord,
    call: TracedCall,
    result: T,
    detail: (value: unknown) => Detail = () => ({}),
  ): T {
    const record = (d: Detail) => this.state.record(conn.id, "peer", "call", call, undefined, d);
    if (!(result instanceof Promise)) {
      record({ outcome: "ok" });
      return result;
    }
    this.nativeThen.call(
      result,
      (value: unknown) => record({ outcome: "ok", ...detail(value) }),
      (error: unknown) => record({ outcome: "error", error: errorWords(error) }),
    );
    return result;
  }
}

function errorWords(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  return `${String(e?.name ?? "Error")}: ${String(e?.message ?? error)}`.slice(0, MAX_TEXT);
}
