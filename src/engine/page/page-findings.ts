// What went wrong with one of the inspected page's connections, from what the recorder saw: a
// channel that never opened and the stage it stopped at, ICE that failed, a send buffer the page
// let grow without waiting for bufferedamountlow, sends the browser refused, a channel closed by
// the other side. Pure, so every rule is unit-tested; the words and codes are the catalogue's.
import { type Finding, finding } from "../../contract/findings";
import { bytes, milliseconds as ms } from "../../format/units";
import type { PairSummary } from "../watch/pair-stats";
import type { TimelineEntry } from "../watch/timeline";
import type { RecordedChannel } from "./page-batch";
import { pathFindings } from "./page-path-findings";
import { remoteCandidateSeen, type SignalingFacts, signalingFindings } from "./page-signaling-findings";

/** Above this much queued, a page that never waits for bufferedamountlow is heading for trouble. */
export const PAGE_BUFFER_WARN_BYTES = 4 * 1024 * 1024;

export interface PageConnectionFacts extends SignalingFacts {
  /** The latest getStats summary of its paths; null where none was read. */
  stats: PairSummary | null;
  channels: readonly RecordedChannel[];
  closedLocally: boolean;
  /**
   * The channels' states were sampled (a dump's statistics, once a second), not seen as events: a
   * channel not seen open may have opened between samples, and nothing says who closed it.
   */
  sampledChannels?: boolean;
}

export function pageFindings(facts: PageConnectionFacts): Finding[] {
  const found: Finding[] = [];
  const ever = (source: string, property: string, value: string) =>
    facts.entries.some((e) => e.source === source && e.property === property && e.value === value);
  const last = (source: string, property: string) =>
    facts.entries.findLast((e) => e.source === source && e.property === property)?.value;
  const ended = last("peer", "connectionState") === "closed" || last("peer", "signalingState") === "closed";

  found.push(...signalingFindings(facts));
  const paths = pathFindings(facts);
  found.push(...paths);
  // Without a remote candidate seen, page-no-remote-candidates says why ICE could not connect; with
  // the pairs read, the path finding does.
  const wasConnected = ever("peer", "iceConnectionState", "connected");
  if (
    paths.length === 0 &&
    ever("peer", "iceConnectionState", "failed") &&
    (wasConnected || remoteCandidateSeen(facts.entries))
  )
    found.push(
      finding(
        "ice-failed",
        wasConnected
          ? "ICE failed after it had connected: the path between the peers went away."
          : "ICE failed: remote candidates reached the connection, but no pair of them connected.",
      ),
    );

  for (const channel of facts.channels) {
    const name = `Channel "${channel.label}" (${channel.side} end)`;
    const source = `channel:${channel.id}`;
    const openedAt = facts.entries.find(
      (e) => e.source === source && e.property === "readyState" && e.value === "open",
    );
    if (openedAt)
      found.push(
        finding(
          "channel-open",
          facts.sampledChannels
            ? `${name} was open at ${ms(openedAt.t)} (a statistics sample).`
            : `${name} opened at ${ms(openedAt.t)}.`,
        ),
      );
    else if (ended || channel.readyState === "closed") {
      const stage = notOpened(name, facts, last, ever);
      if (stage) found.push(stage);
    }
    if (channel.sendErrors > 0)
      found.push(
        finding(
          "page-send-refused",
          `${name}: send() threw ${channel.sendErrors} time${channel.sendErrors === 1 ? "" : "s"}; the last: ${channel.lastSendError ?? "no message"}.`,
        ),
      );
    if (channel.bufferedAmountPeak > PAGE_BUFFER_WARN_BYTES && !channel.waitsForLow)
      found.push(
        finding(
          "page-send-buffer-high",
          `${name}: bufferedAmount reached ${bytes(channel.bufferedAmountPeak)}, and the page never listens for bufferedamountlow.`,
        ),
      );
    const closed = channel.readyState === "closed" || channel.readyState === "closing";
    if (openedAt && closed && !channel.closedLocally && !facts.closedLocally && !facts.sampledChannels)
      found.push(
        finding(
          "page-channel-closed-remotely",
          `${name} was closed without this page calling close() on it or its connection: the other side (or a failed connection) closed it.`,
        ),
      );
  }
  return found;
}

/**
 * The stage a channel stopped at, from the connection's recorded states, lowest layer first; null
 * where the channel's states were only sampled and the connection's states do not prove it never
 * opened (it may have opened between two samples).
 */
function notOpened(
  name: string,
  facts: PageConnectionFacts,
  last: (source: string, property: string) => string | undefined,
  ever: (source: string, property: string, value: string) => boolean,
): Finding | null {
  const gathered = facts.entries.filter((e) => e.source === "peer" && e.kind === "candidate-gathered").length;
  const iceConnected =
    ever("peer", "iceConnectionState", "connected") || ever("peer", "iceConnectionState", "completed");
  if (!ever("peer", "signalingState", "stable") || !everHadAnswer(facts.entries))
    return finding(
      "page-channel-not-opened",
      `${name} never opened: offer/answer never completed (the signaling state never returned to "stable" after an offer).`,
      "The page (or its signaling server) did not deliver the answer: look at the signaling lane.",
    );
  if (gathered === 0 && ever("peer", "iceGatheringState", "complete"))
    return finding("no-candidates", `${name} never opened: gathering finished without a single candidate.`);
  if (!iceConnected)
    return finding(
      "page-channel-not-opened",
      `${name} never opened: ICE never connected (last ICE state "${last("peer", "iceConnectionState") ?? "new"}", ${gathered} local candidates gathered).`,
      "Candidates may not have reached the other side: check that the page hands over every icecandidate, and that some pair can connect.",
    );
  if (ever("dtls", "state", "failed"))
    return finding("dtls-failed", `${name} never opened: ICE connected, but the DTLS handshake failed.`);
  if (facts.sampledChannels) return null;
  if (!ever("sctp", "state", "connected"))
    return finding("sctp-failed", `${name} never opened: DTLS connected, but the SCTP association did not.`);
  return finding("channel-not-opened", `${name} never opened, though the connection did.`);
}

/** True once the connection went have-local-offer → stable (or have-remote-offer → stable): an answer was applied. */
function everHadAnswer(entries: readonly TimelineEntry[]): boolean {
  let offered = false;
  for (const e of entries) {
    if (e.source !== "peer" || e.property !== "signalingState") continue;
    if (e.value === "have-local-offer" || e.value === "have-remote-offer") offered = true;
    else if (e.value === "stable" && offered) return true;
  }
  return false;
}
