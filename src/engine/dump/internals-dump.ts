// A chrome://webrtc-internals dump, read into the evidence the page's connections give: per peer
// connection its timeline (states, calls and their outcomes, candidates, errors), its data channels
// with their counts, and its paths from the statistics. Pure and synchronous, so the panel runs it
// in a worker and the command line directly. The file came from someone else: its structure was
// checked against internals-dump.schema.json before this runs, and every list and string is capped.
import type { RecordedChannel } from "../page/page-batch";
import type { PairSummary } from "../watch/pair-stats";
import { stepEntry, type TimelineEntry } from "../watch/timeline";
import { type LogEntry, type LoggedChannel, readLog } from "./dump-log";
import { type DumpedSeries, readStats, type SampledChannel } from "./dump-stats";

/** The parts of a dump that are read, as internals-dump.schema.json describes them. */
export interface InternalsDump {
  PeerConnections: Record<
    string,
    {
      url?: unknown;
      rtcConfiguration?: unknown;
      updateLog?: { type: string; value?: unknown; timestamp?: unknown; time?: unknown }[];
      stats?: Record<string, DumpedSeries>;
    }
  >;
  UserAgent?: unknown;
  /** When the dump was made (ms since 1970). */
  timestamp?: unknown;
}

export interface DumpSource {
  format: "webrtc-internals" | "rtcstats";
  /** The browser that made it, as the dump names it. */
  userAgent: string;
  /** When the dump was made; null when it does not say. */
  createdAt: string | null;
  /** The wall-clock time of t = 0: the first thing the dump logged. */
  startedAt: string | null;
}

export interface DumpedConnection {
  /** The dump's own name for it ("9-1": renderer and connection). */
  key: string;
  /** The page that made it: origin and path, never the query (it can hold a password). */
  url: string;
  entries: TimelineEntry[];
  channels: RecordedChannel[];
  untrackedChannels: number;
  closedLocally: boolean;
  stats: PairSummary | null;
}

export interface DumpContents {
  source: DumpSource;
  connections: DumpedConnection[];
  /** Connections in the dump beyond the cap: not read. */
  untrackedConnections: number;
  /** When the dump was made, in ms from t = 0: "now" for the rules that wait. */
  endT: number;
  /** What was capped or could not be read, in plain words. */
  notes: string[];
}

/** Connections read at most, as many as the panel shows for a page. */
const MAX_DUMP_CONNECTIONS = 300;
/** updateLog entries read at most per connection. */
const MAX_LOG_ENTRIES = 20_000;

export function readInternalsDump(
  dump: InternalsDump,
  format: DumpSource["format"] = "webrtc-internals",
): DumpContents {
  const notes: string[] = [];
  const all = Object.entries(dump.PeerConnections);
  const kept = all.slice(0, MAX_DUMP_CONNECTIONS);
  if (all.length > kept.length)
    notes.push(`The dump holds ${all.length} peer connections; the first ${MAX_DUMP_CONNECTIONS} are read.`);
  const logs = kept.map(([key, pc]) => ({ key, pc, log: logOf(pc.updateLog ?? [], key, notes) }));
  const silent = logs.filter(({ log }) => log.length === 0).map(({ key }) => key.slice(0, 40));
  if (silent.length > 0)
    notes.push(
      `Nothing was logged for ${silent.length === 1 ? "connection" : "connections"} ${silent.join(", ")}: made before webrtc-internals was opened (it logs only from then on), or never used.`,
    );
  const withoutStats = logs.filter(({ pc }) => pc.stats === undefined).length;
  if (withoutStats > 0 && format === "webrtc-internals")
    notes.push(
      `${withoutStats === 1 ? "A connection has" : `${withoutStats} connections have`} no statistics field in the dump (an older or newer Chrome?): their paths and channel counts are not known.`,
    );
  const firstTimes = logs.flatMap(({ log }) => (log[0] ? [log[0].t] : []));
  const t0 =
    firstTimes.length > 0 ? Math.min(...firstTimes) : isDate(dump.timestamp) ? (dump.timestamp as number) : 0;
  const connections = logs.map(({ key, pc, log }) =>
    connectionOf(
      key.slice(0, 40),
      pc,
      log.map((e) => ({ ...e, t: e.t - t0 })),
      t0,
      notes,
    ),
  );
  const lastT = Math.max(0, ...connections.flatMap((c) => c.entries.map((e) => e.t)));
  const endT = isDate(dump.timestamp) ? Math.max(lastT, (dump.timestamp as number) - t0) : lastT;
  if (!isDate(dump.timestamp))
    notes.push("The dump does not say when it was made: its last event stands for then.");
  return {
    source: {
      format,
      userAgent: typeof dump.UserAgent === "string" ? dump.UserAgent.slice(0, 300) : "",
      createdAt: isDate(dump.timestamp) ? new Date(dump.timestamp as number).toISOString() : null,
      startedAt: isDate(t0) && firstTimes.length > 0 ? new Date(t0).toISOString() : null,
    },
    connections,
    untrackedConnections: all.length - kept.length,
    endT,
    notes,
  };
}

/** The log's entries with their times (ms since 1970); entries without a time are not read. */
function logOf(
  updateLog: NonNullable<InternalsDump["PeerConnections"][string]["updateLog"]>,
  key: string,
  notes: string[],
): LogEntry[] {
  const log: LogEntry[] = [];
  let untimed = 0;
  for (const entry of updateLog.slice(0, MAX_LOG_ENTRIES)) {
    const t =
      typeof entry.timestamp === "number"
        ? entry.timestamp
        : typeof entry.time === "string"
          ? Date.parse(entry.time.slice(0, 100))
          : Number.NaN;
    if (!isDate(t)) {
      untimed++;
      continue;
    }
    log.push({
      type: entry.type.slice(0, 100),
      value: typeof entry.value === "string" ? entry.value : "",
      t,
    });
  }
  if (updateLog.length > MAX_LOG_ENTRIES)
    notes.push(
      `Connection ${key.slice(0, 40)}: its log holds ${updateLog.length} entries; the first ${MAX_LOG_ENTRIES} are read.`,
    );
  if (untimed > 0)
    notes.push(`Connection ${key.slice(0, 40)}: ${untimed} log entries carry no time and are not read.`);
  return log;
}

function connectionOf(
  key: string,
  pc: InternalsDump["PeerConnections"][string],
  log: LogEntry[],
  t0: number,
  notes: string[],
): DumpedConnection {
  const read = readLog(
    log,
    typeof pc.rtcConfiguration === "string" ? pc.rtcConfiguration.slice(0, 100_000) : "",
  );
  const stats = readStats(pc.stats ?? {}, t0);
  const entries = [...read.entries];
  for (const { t, state } of stats.dtls)
    entries.push({ t, source: "dtls", property: "state", value: state, read: true });
  for (const { t, ...pair } of stats.paths) entries.push(stepEntry(t, "peer", "pair-selected", pair));
  const { channels, unsampled } = channelsOf(read.channels, stats.channels, read.closedAt, entries);
  if (unsampled > 0)
    notes.push(
      `Connection ${key}: ${unsampled === 1 ? "a channel has" : `${unsampled} channels have`} no statistics in the dump (webrtc-internals samples its statistics about once a second): whether ${unsampled === 1 ? "it" : "they"} opened, and ${unsampled === 1 ? "its" : "their"} counts, are not known.`,
    );
  entries.sort((a, b) => a.t - b.t);
  return {
    key,
    url: pageUrl(pc.url),
    entries,
    channels,
    untrackedChannels: read.untrackedChannels,
    closedLocally: read.closedLocally,
    stats: stats.summary,
  };
}

/**
 * The log's channels with what their statistics add (and how many had none): states (as sampled, once a second), stream id
 * and counts. A statistic is matched to the first channel of its label not yet matched.
 */
function channelsOf(
  logged: readonly LoggedChannel[],
  sampled: readonly SampledChannel[],
  closedAt: number | null,
  entries: TimelineEntry[],
): { channels: RecordedChannel[]; unsampled: number } {
  const unmatched = [...sampled];
  let unsampled = 0;
  const channels = logged.map((c): RecordedChannel => {
    const i = unmatched.findIndex((s) => s.label === c.label);
    const s = i >= 0 ? unmatched.splice(i, 1)[0] : undefined;
    if (!s) unsampled++;
    for (const { t, state } of s?.states ?? [])
      if (closedAt === null || t < closedAt)
        entries.push({ t, source: `channel:${c.id}`, property: "readyState", value: state, read: true });
    const lastSampled = s?.states.at(-1)?.state;
    return {
      id: c.id,
      label: c.label,
      side: c.side,
      streamId: c.streamId ?? s?.streamId ?? null,
      ordered: c.ordered,
      maxRetransmits: c.maxRetransmits,
      maxPacketLifeTime: c.maxPacketLifeTime,
      negotiated: c.negotiated,
      readyState: closedAt !== null ? "closed" : readyStateOf(lastSampled),
      messagesSent: s?.messagesSent ?? 0,
      bytesSent: s?.bytesSent ?? 0,
      messagesReceived: s?.messagesReceived ?? 0,
      bytesReceived: s?.bytesReceived ?? 0,
      // Not in a dump: the send queue, send() errors, listeners and channel close() calls.
      bufferedAmountPeak: 0,
      sendErrors: 0,
      lastSendError: null,
      waitsForLow: false,
      closedLocally: false,
    };
  });
  return { channels, unsampled };
}

function readyStateOf(state: string | undefined): RecordedChannel["readyState"] {
  return state === "open" || state === "closing" || state === "closed" ? state : "connecting";
}

/** The page's origin and path: a query or fragment can hold credentials. */
function pageUrl(raw: unknown): string {
  if (typeof raw !== "string") return "";
  try {
    const url = new URL(raw.slice(0, 2000));
    return `${url.origin}${url.pathname}`.slice(0, 300);
  } catch {
    return "(a page address that does not parse; not shown)";
  }
}

function isDate(t: unknown): boolean {
  return typeof t === "number" && Number.isFinite(t) && Math.abs(t) <= 8.64e15;
}
