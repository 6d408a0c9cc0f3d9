// The few timeline entries a person reads first: when each layer came up (or where it stopped).
// Pure, for the printed summary, the Markdown summary and the tests.
import type { TimelineEntry } from "../engine/watch/timeline";

export interface KeyMoment {
  t: number;
  text: string;
}

/** The first entry matching each rule, in time order; errors, findings and the close always count. */
export function keyMoments(timeline: readonly TimelineEntry[]): KeyMoment[] {
  const rules: [(e: TimelineEntry) => boolean, (e: TimelineEntry) => string][] = [
    [(e) => e.source === "session" && e.kind === "connect", () => "Connect"],
    [(e) => e.kind === "candidate-gathered", (e) => `first candidate ${e.value} (${e.source})`],
    [
      (e) => e.source === "localPeer" && e.kind === "gathering-finished",
      (e) => `local peer finished gathering: ${String(e.detail?.candidates ?? "?")} candidates`,
    ],
    [
      (e) => e.source === "localPeer" && e.property === "iceConnectionState" && e.value === "connected",
      () => "ICE connected",
    ],
    [(e) => e.source === "localDtls" && e.value === "connected", () => "DTLS connected"],
    [(e) => e.source === "localSctp" && e.value === "connected", () => "SCTP connected"],
    [
      (e) => e.source === "sendChannel" && e.property === "readyState" && e.value === "open",
      () => "sending end open",
    ],
    [
      (e) => e.source === "receiveChannel" && e.property === "readyState" && e.value === "open",
      () => "receiving end open",
    ],
  ];
  const moments: KeyMoment[] = [];
  const used = new Set<number>();
  for (const entry of timeline) {
    if (entry.property === "error")
      moments.push({ t: entry.t, text: `error (${entry.source}): ${entry.value}${errorDetail(entry)}` });
    else if (entry.source === "session" && entry.kind === "finding")
      moments.push({ t: entry.t, text: `finding: ${entry.value}` });
    else if (entry.source === "session" && entry.kind === "closed")
      moments.push({ t: entry.t, text: `closed (${String(entry.detail?.reason ?? "")})` });
    else {
      const index = rules.findIndex(([matches], i) => !used.has(i) && matches(entry));
      const rule = rules[index];
      if (!rule) continue;
      used.add(index);
      moments.push({ t: entry.t, text: rule[1](entry) });
    }
  }
  return moments.sort((a, b) => a.t - b.t);
}

function errorDetail(entry: TimelineEntry): string {
  const message = entry.detail?.message ?? entry.detail?.text;
  return message ? `: ${String(message)}` : "";
}
