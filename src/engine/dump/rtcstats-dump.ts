// An "rtcstats dump", the other file chrome://webrtc-internals offers: a first line "RTCStatsDump", a
// line of format, then one JSON array per line, [method, connection id, value, (url,) time], each
// time the milliseconds since the line before (the first, since 1970). Its calls and events are the
// same as the webrtc-internals dump's log, so they are read into that shape. Its statistics are
// delta-compressed getStats reports: not read (the webrtc-internals dump carries them as series).
import type { InternalsDump } from "./internals-dump";

export const RTCSTATS_MAGIC = "RTCStatsDump";

/** Lines read at most. */
const MAX_LINES = 500_000;

export interface RtcStatsReading {
  dump: InternalsDump;
  notes: string[];
}

export function readRtcStatsDump(text: string): RtcStatsReading {
  const lines = text.split("\n");
  const connections: InternalsDump["PeerConnections"] = {};
  const notes: string[] = [];
  let t = 0;
  let unread = 0;
  let stats = 0;
  let userAgent = "";
  for (const line of lines.slice(2, MAX_LINES)) {
    if (!line.startsWith("[")) {
      if (line.trim()) unread++;
      continue;
    }
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      unread++;
      continue;
    }
    if (!Array.isArray(row) || typeof row[0] !== "string") {
      unread++;
      continue;
    }
    const [method, id, value] = row as [string, unknown, unknown];
    const delta = row.at(-1);
    if (typeof delta !== "number" || !Number.isFinite(delta)) {
      unread++;
      continue;
    }
    t += delta;
    if (id === null) {
      userAgent = browserOf(value);
      continue;
    }
    if (typeof id !== "string") continue;
    if (method === "getstats" || method === "getStats") {
      stats++;
      continue;
    }
    const pc = connections[id] ?? { updateLog: [] };
    connections[id] = pc;
    if (method === "create") {
      pc.rtcConfiguration = JSON.stringify(value ?? {});
      if (typeof row[3] === "string") pc.url = row[3];
      continue;
    }
    const shown =
      typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value);
    pc.updateLog?.push({ type: method, value: shown, timestamp: t });
  }
  if (lines.length > MAX_LINES)
    notes.push(`The rtcstats dump holds ${lines.length} lines; the first ${MAX_LINES} are read.`);
  if (unread > 0)
    notes.push(`${unread} lines of the rtcstats dump do not read as its format and were left out.`);
  if (stats > 0)
    notes.push(
      "An rtcstats dump's statistics are not read: the paths and the channels' counts come only from a webrtc-internals dump.",
    );
  // Its last line is when it stopped logging, not when it was made: no creation time is claimed.
  return { dump: { PeerConnections: connections, UserAgent: userAgent }, notes };
}

/** The browser from the dump's first line: its brands (an rtcstats dump has no user-agent string). */
function browserOf(value: unknown): string {
  const brands = (value as { userAgentData?: { brands?: unknown } } | null)?.userAgentData?.brands;
  if (!Array.isArray(brands)) return "";
  return brands
    .filter(
      (b): b is { brand: string; version: string } =>
        typeof b?.brand === "string" && !/not.a.brand/i.test(b.brand),
    )
    .map((b) => `${b.brand.slice(0, 40)} ${String(b.version).slice(0, 20)}`)
    .join(", ");
}
