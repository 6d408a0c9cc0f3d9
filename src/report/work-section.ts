// The person's own work in the panel, kept in every report beside the diagnosis: their session
// (counts; the received messages only when they choose to include them) and their latest throughput
// and latency runs, each with when it was made.
import type { LatencyResult } from "../engine/measure/latency";
import type { ThroughputResult } from "../engine/measure/throughput";
import type { ReceivedMessage } from "../engine/session/sample-channel";
import type { WatchedConnection } from "../engine/watch/watched-connection";

export interface WorkSection {
  /** The person's session; null when they never connected. */
  session: {
    /** When Connect was pressed. */
    startedAt: string | null;
    timeToOpenMs: number | null;
    sent: { messages: number; bytes: number };
    received: { messages: number; bytes: number };
    /** The received messages, only when the person chose to include them (the last 100, text cut to 1000 characters). */
    messages?: { t: number; text: string; bytes: number; binary: boolean }[];
  } | null;
  throughput: ThroughputResult | null;
  latency: LatencyResult | null;
}

export interface WorkSource {
  readonly session: {
    readonly connection: { readonly timeToOpenMs: number } | null;
    readonly watched: WatchedConnection;
    readonly messages?: { toArray(): readonly ReceivedMessage[] };
  };
  readonly runs: {
    readonly throughput: { readonly last: ThroughputResult | null };
    readonly latency: { readonly last: LatencyResult | null };
  };
}

const MAX_MESSAGES = 100;
const MAX_TEXT = 1000;

export function workSection(source: WorkSource, includeMessages: boolean): WorkSection {
  const { watched, connection } = source.session;
  const totals = watched.counters();
  const used = watched.timeline.list().length > 0 || totals.sentMessages > 0;
  const messages = includeMessages
    ? (source.session.messages?.toArray() ?? [])
        .slice(-MAX_MESSAGES)
        .map((m) => ({ t: m.t, text: m.text.slice(0, MAX_TEXT), bytes: m.bytes, binary: m.binary }))
    : null;
  return {
    session: used
      ? {
          startedAt: watched.timeline.startedAt || null,
          timeToOpenMs: connection?.timeToOpenMs ?? null,
          sent: { messages: totals.sentMessages, bytes: totals.sentBytes },
          received: { messages: totals.receivedMessages, bytes: totals.receivedBytes },
          ...(messages ? { messages } : {}),
        }
      : null,
    throughput: source.runs.throughput.last,
    latency: source.runs.latency.last,
  };
}

/** When the data in a report was made: the latest of the session's start and the runs' ends; null when nothing was. */
export function workMadeAt(work: WorkSection): string | null {
  const times = [work.session?.startedAt, work.throughput?.endedAt, work.latency?.endedAt].filter(
    (t): t is string => typeof t === "string" && t !== "",
  );
  return times.length > 0 ? (times.sort().at(-1) as string) : null;
}
