// Why a page connection's ICE failed (or is stuck checking), from the paths getStats showed: no pair
// ever formed, or checks went out and none was answered. Only where the recorder read the pairs and
// remote candidates did reach the connection (without them, page-no-remote-candidates says why).
// Pure, so every rule is unit-tested.
import { type Finding, finding } from "../../contract/findings";
import type { PairSummary } from "../watch/pair-stats";
import type { TimelineEntry } from "../watch/timeline";
import { remoteCandidateSeen } from "./page-signaling-findings";

/** How long ICE may stay "checking" before its pairs are read as the reason it is stuck. */
export const CHECKING_WAIT_MS = 10_000;

export interface PathFacts {
  entries: readonly TimelineEntry[];
  nowT: number;
  stats: PairSummary | null;
}

export function pathFindings({ entries, nowT, stats }: PathFacts): Finding[] {
  if (!stats || !remoteCandidateSeen(entries)) return [];
  const ice = entries.filter((e) => e.source === "peer" && e.property === "iceConnectionState");
  const last = ice.at(-1);
  const stuck = last?.value === "failed" || (last?.value === "checking" && nowT - last.t >= CHECKING_WAIT_MS);
  if (!stuck || stats.selected) return [];
  const state = `ICE ${last?.value === "failed" ? "failed" : `has been checking for ${Math.round((nowT - (last?.t ?? 0)) / 1000)} s`}`;
  const pairs = stats.udp.pairs + stats.tcp.pairs;
  if (pairs === 0)
    return [
      finding(
        "no-candidate-pairs",
        `${state}: remote candidates reached the connection, but getStats shows not one candidate pair: the other side's addresses could not be resolved or used.`,
      ),
    ];
  const sent = stats.udp.requestsSent + stats.tcp.requestsSent;
  const answered = stats.udp.responsesReceived + stats.tcp.responsesReceived;
  if (sent > 0 && answered === 0)
    return [
      finding(
        "page-checks-unanswered",
        `${state}: it sent ${sent} connectivity check${sent === 1 ? "" : "s"} on ${pairs} candidate pair${pairs === 1 ? "" : "s"} (UDP ${stats.udp.pairs}, TCP ${stats.tcp.pairs}) and not one was answered.`,
      ),
    ];
  return [];
}
