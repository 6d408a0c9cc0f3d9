// A connection's path in a few words, from its getStats summary: the pair in use, or what ICE tried.
import type { PairSummary } from "../engine/watch/pair-stats";
import { count } from "./units";

/** The pair in use, or what ICE tried: " · host ↔ srflx UDP, 12.3 ms" or " · 2 pairs, 40 checks, 0 answered". */
export function pathText(stats: PairSummary | null): string {
  if (!stats) return "";
  const s = stats.selected;
  if (s)
    return ` · ${s.local} ↔ ${s.remote} ${s.protocol.toUpperCase()}${s.rttMs === null ? "" : `, ${s.rttMs} ms`}`;
  const pairs = stats.udp.pairs + stats.tcp.pairs;
  const sent = stats.udp.requestsSent + stats.tcp.requestsSent;
  const answered = stats.udp.responsesReceived + stats.tcp.responsesReceived;
  return ` · ${count(pairs)} pair${pairs === 1 ? "" : "s"}, ${count(sent)} checks, ${count(answered)} answered`;
}
