// Errors the engine hands to callers: each has a stable code and a message meant for people.
import type { Finding } from "../../contract/findings";

export type LabErrorCode =
  | "not-open"
  | "empty-message"
  | "too-large"
  | "queue-full"
  | "not-text"
  | "cancelled"
  | "busy"
  | "invalid-option"
  | "connect-failed"
  | "timeout";

export class LabError extends Error {
  override readonly name = "LabError";

  constructor(
    readonly code: LabErrorCode,
    message: string,
    /** The diagnosed finding, for a connect that failed. */
    readonly finding?: Finding,
  ) {
    super(message);
  }
}

/** Rejects when the signal aborts, so a promise of a closed RTCPeerConnection cannot hang a caller. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** `promise`, or a rejection with `late()` after `ms`; the timer ends with whichever comes first. */
export function within<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(late()), ms);
  return abortable(promise, deadline.signal).finally(() => clearTimeout(timer));
}

/**
 * An error's message, for people. Some failures arrive as plain objects (a WebSocket's error event,
 * a protocol's error record): their own words, never "[object Object]".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error !== "object" || error === null) return String(error);
  const record = error as { message?: unknown; error?: unknown; type?: unknown };
  if (typeof record.message === "string" && record.message) return record.message;
  if (record.error !== undefined && record.error !== error) return errorMessage(record.error);
  if (typeof record.type === "string") return `${record.type} (no message)`;
  try {
    return JSON.stringify(error).slice(0, 300);
  } catch {
    return "an error with no message";
  }
}

/** An error's name and message: the name (InvalidStateError, OperationError…) tells WebRTC failures apart. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
