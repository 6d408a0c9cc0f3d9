// What throughput and latency runs share: their phases, the event announcing them, where they send
// their events, and how a run notices it must stop (Stop, or the session ending under it).
import type { SignsOfLife } from "../watch/signs-of-life";

export type RunKind = "throughput" | "latency";

/**
 * starting: connecting or opening the run's own channel; running: traffic flowing; draining:
 * sending has stopped, waiting for what is still on the way; finished: the result is out.
 */
type RunPhase = "starting" | "running" | "draining" | "finished";

export interface RunPhaseEvent {
  run: RunKind;
  phase: RunPhase;
}

/** Where a run announces what it does: the Lab's emitter, or a fake in unit tests. */
export interface RunEvents<Events> {
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
}

/** Calls onStop once, when any of the signals aborts (at once if one already has); returns an unsubscribe. */
export function whenAnyAborts(signals: AbortSignal[], onStop: (signal: AbortSignal) => void): () => void {
  let done = false;
  const listeners = signals.map((signal) => {
    const listener = () => {
      if (done) return;
      done = true;
      unsubscribe();
      onStop(signal);
    };
    return [signal, listener] as const;
  });
  const unsubscribe = () => {
    for (const [signal, listener] of listeners) signal.removeEventListener("abort", listener);
  };
  for (const [signal, listener] of listeners) {
    if (signal.aborted) {
      listener();
      break;
    }
    signal.addEventListener("abort", listener, { once: true });
  }
  return unsubscribe;
}

/** What a run needs of the session: its own channel pair, and notice when the session ends. */
export interface ChannelSource {
  readonly signal: AbortSignal;
  /** Aborts when the connection under the runs is lost (ICE failed, or disconnected for good); its reason says how. */
  readonly lost: AbortSignal;
  readonly maxMessageSize: number;
  openExtraChannel(label: string, init: RTCDataChannelInit): Promise<[RTCDataChannel, RTCDataChannel]>;
  /** The connection's last sign of life, which the runs also give (arrivals, a queue going down). */
  readonly life: SignsOfLife;
  /** What the receiving end has taken off the wire (its candidate pairs' bytesReceived); null unread. */
  readReceivedOnPath(): Promise<number | null>;
}
