// A connection's statistics as chrome://webrtc-internals dumps them: one series per statistic and
// attribute ("<stats id>-<attribute>": a JSON array of values, one per second), read into what the
// page's connections get from getStats: the pairs and the pair in use (their last values), each data
// channel's states over time and its counts, and the DTLS transport's states. Only the attributes
// read here are parsed at all: a long call's dump holds tens of megabytes of series.
import { type PairSummary, pairSummary } from "../watch/pair-stats";

/** One dumped series, as the file has it (nothing in it trusted yet). */
export interface DumpedSeries {
  statsType?: unknown;
  values?: unknown;
}

/** A data channel as its statistics tell it. */
export interface SampledChannel {
  label: string;
  streamId: number | null;
  /** Each state it was seen in, from the sample where it first was (ms from the dump's t = 0). */
  states: { t: number; state: string }[];
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
}

export interface ReadStats {
  /** The last sample's pairs and pair in use; null when the dump holds no candidate pair. */
  summary: PairSummary | null;
  channels: SampledChannel[];
  /** The DTLS transport's states, each from the sample where it was first seen. */
  dtls: { t: number; state: string }[];
  /** The pair in use, each time it changed, from the sample where it was first seen. */
  paths: { t: number; local: string; remote: string; protocol: string }[];
}

/** What each kind of statistic is read for; every other attribute is left unparsed. */
const READ: Record<string, readonly string[]> = {
  "candidate-pair": [
    "state",
    "nominated",
    "requestsSent",
    "responsesReceived",
    "bytesSent",
    "bytesReceived",
    "currentRoundTripTime",
    "localCandidateId",
    "remoteCandidateId",
  ],
  "local-candidate": ["candidateType", "protocol"],
  "remote-candidate": ["candidateType", "protocol"],
  transport: ["selectedCandidatePairId", "dtlsState"],
  "data-channel": [
    "label",
    "state",
    "dataChannelIdentifier",
    "messagesSent",
    "bytesSent",
    "messagesReceived",
    "bytesReceived",
  ],
};
/** A series longer than this is not parsed (a day of samples is about 86,400 values). */
const MAX_SERIES_CHARS = 4 * 1024 * 1024;
/** Statistics objects read at most per connection. */
const MAX_OBJECTS = 2000;

export function readStats(stats: Record<string, DumpedSeries>, t0: number): ReadStats {
  const objects = new Map<string, { type: string; series: Map<string, unknown[]> }>();
  for (const [key, series] of Object.entries(stats)) {
    const type = typeof series?.statsType === "string" ? series.statsType : "";
    const wanted = READ[type];
    const dash = key.lastIndexOf("-");
    if (!wanted || dash <= 0) continue;
    const id = key.slice(0, dash);
    const attribute = key.slice(dash + 1);
    if (attribute !== "timestamp" && !wanted.includes(attribute)) continue;
    let object = objects.get(id);
    if (!object) {
      if (objects.size >= MAX_OBJECTS) continue;
      object = { type, series: new Map() };
      objects.set(id, object);
    }
    object.series.set(attribute, parsedSeries(series.values));
  }
  const last = [...objects].map(([id, o]) => {
    const entry: Record<string, unknown> = { id, type: o.type };
    for (const [attribute, values] of o.series) entry[attribute] = values.at(-1);
    return entry;
  });
  const times = (o: { series: Map<string, unknown[]> }) =>
    (o.series.get("timestamp") ?? []).map((v) =>
      typeof v === "number" && Number.isFinite(v) ? v - t0 : null,
    );
  const channels: SampledChannel[] = [];
  const dtls: ReadStats["dtls"] = [];
  const paths: ReadStats["paths"] = [];
  const byId = new Map(last.map((e) => [e.id, e]));
  const candidate = (pairId: string, end: "localCandidateId" | "remoteCandidateId") =>
    byId.get(String(byId.get(pairId)?.[end] ?? ""));
  for (const [id, o] of objects) {
    if (o.type === "data-channel") {
      const at = last.find((e) => e.id === id) ?? {};
      channels.push({
        label: typeof at.label === "string" ? at.label.slice(0, 200) : "",
        streamId: Number.isInteger(at.dataChannelIdentifier) ? Number(at.dataChannelIdentifier) : null,
        states: changes(o.series.get("state") ?? [], times(o)),
        messagesSent: count(at.messagesSent),
        bytesSent: count(at.bytesSent),
        messagesReceived: count(at.messagesReceived),
        bytesReceived: count(at.bytesReceived),
      });
    } else if (o.type === "transport") {
      dtls.push(...changes(o.series.get("dtlsState") ?? [], times(o)));
      for (const { t, state: pairId } of changes(o.series.get("selectedCandidatePairId") ?? [], times(o))) {
        const local = candidate(pairId, "localCandidateId");
        if (!local) continue;
        paths.push({
          t,
          local: String(local.candidateType ?? "unknown").slice(0, 20),
          remote: String(candidate(pairId, "remoteCandidateId")?.candidateType ?? "unknown").slice(0, 20),
          protocol: String(local.protocol ?? "unknown").slice(0, 20),
        });
      }
    }
  }
  const hasPairs = last.some((e) => e.type === "candidate-pair");
  return { summary: hasPairs ? pairSummary(last) : null, channels, dtls, paths };
}

/** A series' values; none when it is not a JSON array or too long to read. */
function parsedSeries(values: unknown): unknown[] {
  if (typeof values !== "string" || values.length > MAX_SERIES_CHARS) return [];
  try {
    const parsed: unknown = JSON.parse(values);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Where a state series changes value, at the time of the sample that first shows it. */
function changes(
  values: readonly unknown[],
  times: readonly (number | null)[],
): { t: number; state: string }[] {
  const out: { t: number; state: string }[] = [];
  values.forEach((value, i) => {
    const t = times[i];
    if (typeof value !== "string" || t === null || t === undefined) return;
    const state = value.slice(0, 60);
    if (out.at(-1)?.state !== state) out.push({ t, state });
  });
  return out;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}
