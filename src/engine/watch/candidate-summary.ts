// Counts the ICE candidates a session gathered, by kind, from its timeline: what the report's
// "candidates" section holds. Pure, so it is tested without a browser.

import { counted } from "../../format/units";
import type { TimelineEntry } from "./timeline";

export interface CandidateSummary {
  /** Candidates gathered by both peers together. */
  total: number;
  local: number;
  remote: number;
  host: number;
  serverReflexive: number;
  peerReflexive: number;
  relay: number;
  /** Host candidates whose address the browser hid behind a random .local (mDNS) name. */
  mdns: number;
  /** Candidates on a loopback address (127.0.0.0/8, ::1), gathered only when a browser flag allows them. */
  loopback: number;
  ipv4: number;
  ipv6: number;
  udp: number;
  tcp: number;
}

const TYPE_FIELD: Record<string, keyof CandidateSummary> = {
  host: "host",
  srflx: "serverReflexive",
  prflx: "peerReflexive",
  relay: "relay",
};

function emptyCandidateSummary(): CandidateSummary {
  return {
    total: 0,
    local: 0,
    remote: 0,
    host: 0,
    serverReflexive: 0,
    peerReflexive: 0,
    relay: 0,
    mdns: 0,
    loopback: 0,
    ipv4: 0,
    ipv6: 0,
    udp: 0,
    tcp: 0,
  };
}

/** Reads the candidate-gathered steps the session records (one per candidate a peer gathered). */
export function summarizeCandidates(timeline: readonly TimelineEntry[]): CandidateSummary {
  const summary = emptyCandidateSummary();
  for (const entry of timeline) {
    if (entry.kind !== "candidate-gathered") continue;
    if (entry.source !== "localPeer" && entry.source !== "remotePeer") continue;
    const detail = entry.detail ?? {};
    summary.total++;
    summary[entry.source === "localPeer" ? "local" : "remote"]++;
    const typeField = TYPE_FIELD[String(detail.type)];
    if (typeField) summary[typeField]++;
    if (detail.mdns === true) summary.mdns++;
    if (detail.loopback === true) summary.loopback++;
    if (detail.family === "ipv4") summary.ipv4++;
    if (detail.family === "ipv6") summary.ipv6++;
    if (detail.protocol === "udp") summary.udp++;
    if (detail.protocol === "tcp") summary.tcp++;
  }
  return summary;
}

/** "4 candidates: 4 host (2 mDNS); 2 IPv4, 0 IPv6; 4 UDP, 0 TCP" */
export function describeCandidateSummary(s: CandidateSummary): string {
  if (s.total === 0) return "no candidates gathered";
  const kinds = [
    `${s.host} host${s.mdns > 0 ? ` (${s.mdns} mDNS)` : ""}${s.loopback > 0 ? ` (${s.loopback} loopback)` : ""}`,
    ...(s.serverReflexive ? [`${s.serverReflexive} server-reflexive`] : []),
    ...(s.peerReflexive ? [`${s.peerReflexive} peer-reflexive`] : []),
    ...(s.relay ? [`${s.relay} relay`] : []),
  ];
  return `${counted(s.total, "candidate")}: ${kinds.join(", ")}; ${s.ipv4} IPv4, ${s.ipv6} IPv6; ${s.udp} UDP, ${s.tcp} TCP`;
}
