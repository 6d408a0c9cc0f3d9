// What ICE tried, from getStats: the candidate pairs by transport, with the connectivity checks sent
// and answered. Evidence for the stall diagnosis ("UDP checks went unanswered"), rather than a guess;
// and the bytes a connection received, a sign of life where its channels give none.

import { abortable } from "../core/errors";

interface TransportPairs {
  pairs: number;
  requestsSent: number;
  responsesReceived: number;
  succeeded: number;
}

export interface PairEvidence {
  udp: TransportPairs;
  tcp: TransportPairs;
}

/** Reads the pairs of one peer; null when the browser gives no pair statistics within `timeoutMs`. */
export async function readPairEvidence(
  pc: RTCPeerConnection,
  timeoutMs: number,
): Promise<PairEvidence | null> {
  const stats = await readStats(pc, timeoutMs);
  return stats && pairEvidence(stats);
}

/**
 * What every candidate pair of these peers has received, both directions summed (data one way,
 * SCTP's acks the other, ICE's connectivity checks both ways); null when a peer gives no pair
 * statistics within `timeoutMs`. Only its growth means anything.
 */
export async function readPairActivity(
  peers: readonly RTCPeerConnection[],
  timeoutMs: number,
): Promise<number | null> {
  const all = await Promise.all(peers.map((pc) => readStats(pc, timeoutMs)));
  if (all.some((stats) => stats === null)) return null;
  return all.reduce((sum, stats) => sum + pairActivity(stats ?? []), 0);
}

/** The bytes a peer's candidate pairs have received (transport level, packet overhead included); null unread. */
export async function readBytesReceived(pc: RTCPeerConnection, timeoutMs: number): Promise<number | null> {
  const stats = await readStats(pc, timeoutMs);
  return stats === null ? null : pairBytesReceived(stats);
}

/**
 * Pure: the candidate pairs' bytes received, plus the connectivity checks and answers they
 * received. The checks count because they show the path alive while SCTP, after lost packets,
 * backs off in silence (Chrome with one UDP packet in ten lost was silent for 6.8 s), and they
 * stop with everything else when the path is cut.
 */
export function pairActivity(stats: readonly Record<string, unknown>[]): number {
  let total = 0;
  const counter = (value: unknown) => Number(value ?? 0) || 0;
  for (const s of stats)
    if (s.type === "candidate-pair")
      total += counter(s.bytesReceived) + counter(s.requestsReceived) + counter(s.responsesReceived);
  return total;
}

/** Pure: the bytesReceived of a peer's candidate pairs, summed. */
function pairBytesReceived(stats: readonly Record<string, unknown>[]): number {
  let bytes = 0;
  for (const s of stats) if (s.type === "candidate-pair") bytes += Number(s.bytesReceived ?? 0) || 0;
  return bytes;
}

async function readStats(
  pc: RTCPeerConnection,
  timeoutMs: number,
): Promise<Record<string, unknown>[] | null> {
  try {
    const report = await abortable(pc.getStats(), AbortSignal.timeout(timeoutMs));
    return [...(report as Map<string, Record<string, unknown>>).values()];
  } catch {
    // A closed peer, or no answer within the deadline.
    return null;
  }
}

/** Pure: from getStats entries to per-transport totals (pairs whose local candidate is unknown are left out). */
export function pairEvidence(stats: readonly Record<string, unknown>[]): PairEvidence {
  const empty = (): TransportPairs => ({ pairs: 0, requestsSent: 0, responsesReceived: 0, succeeded: 0 });
  const evidence: PairEvidence = { udp: empty(), tcp: empty() };
  const byId = new Map(stats.map((s) => [s.id, s]));
  for (const pair of stats) {
    if (pair.type !== "candidate-pair") continue;
    const local = byId.get(pair.localCandidateId);
    const protocol = String(local?.protocol ?? "").toLowerCase();
    if (protocol !== "udp" && protocol !== "tcp") continue;
    const t = evidence[protocol];
    t.pairs++;
    t.requestsSent += Number(pair.requestsSent ?? 0);
    t.responsesReceived += Number(pair.responsesReceived ?? 0);
    if (pair.state === "succeeded") t.succeeded++;
  }
  return evidence;
}

/** What getStats says of a connection's paths: the pairs by transport and the pair in use. */
export interface PairSummary extends PairEvidence {
  /** The pair in use (the transport's selected pair, or a nominated one that succeeded); null before. */
  selected: { local: string; remote: string; protocol: string; rttMs: number | null } | null;
  bytesSent: number;
  bytesReceived: number;
}

/** Pure: the pairs, the pair in use, and the bytes, from one peer's getStats entries. */
export function pairSummary(stats: readonly Record<string, unknown>[]): PairSummary {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const pairs = stats.filter((s) => s.type === "candidate-pair");
  const transport = stats.find((s) => s.type === "transport");
  const chosen =
    byId.get(transport?.selectedCandidatePairId) ??
    pairs.find((p) => p.nominated === true && p.state === "succeeded") ??
    null;
  const local = chosen ? byId.get(chosen.localCandidateId) : undefined;
  const remote = chosen ? byId.get(chosen.remoteCandidateId) : undefined;
  const rtt = Number(chosen?.currentRoundTripTime);
  return {
    ...pairEvidence(stats),
    selected: chosen
      ? {
          local: String(local?.candidateType ?? "unknown").slice(0, 20),
          remote: String(remote?.candidateType ?? "unknown").slice(0, 20),
          protocol: String(local?.protocol ?? "unknown")
            .toLowerCase()
            .slice(0, 20),
          rttMs: Number.isFinite(rtt) ? Math.round(rtt * 100_000) / 100 : null,
        }
      : null,
    bytesSent: pairs.reduce((sum, p) => sum + (Number(p.bytesSent ?? 0) || 0), 0),
    bytesReceived: pairBytesReceived(stats),
  };
}
