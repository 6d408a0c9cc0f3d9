// What two of the page's connections say together, when they are each other's other end (a page
// that connects to itself, or a test page): the descriptions each set carry the other's endpoint key
// (call-details.ts). Then a negotiated channel's id can be checked on both ends. Pure, unit-tested;
// silent where the recorder saw no such pair.
import { type Finding, finding } from "../../contract/findings";
import type { DescriptionDetail } from "../watch/steps";
import type { TimelineEntry } from "../watch/timeline";
import type { RecordedChannel } from "./page-batch";

/** An endpoint key as call-details.ts makes it; anything else from the page is ignored. */
export const ENDPOINT_KEY = /^[0-9a-f]{8}$/;

/** The endpoint keys of a connection's last local and remote descriptions set; null where none was. */
export interface Endpoints {
  local: string | null;
  remote: string | null;
}

export interface PeerFacts {
  /** The recorder's connection number, as the page tab shows it. */
  id: number;
  endpoints: Endpoints;
  channels: readonly RecordedChannel[];
}

/** Pure: the endpoint keys of the last local and remote descriptions set; null where none was. */
export function endpointsOf(entries: readonly TimelineEntry[]): Endpoints {
  const last = (kind: "local-description-set" | "remote-description-set") => {
    const entry = entries.findLast((e) => e.kind === kind);
    const key = (entry?.detail as DescriptionDetail | undefined)?.endpoint;
    return typeof key === "string" && ENDPOINT_KEY.test(key) ? key : null;
  };
  return { local: last("local-description-set"), remote: last("remote-description-set") };
}

/** Pure: the connection among `others` whose descriptions are `self`'s the other way round. */
export function otherEnd(self: PeerFacts, others: readonly PeerFacts[]): PeerFacts | null {
  const mine = self.endpoints;
  if (!mine.local || !mine.remote || mine.local === mine.remote) return null;
  return (
    others.find(
      (other) =>
        other.id !== self.id &&
        other.endpoints.local === mine.remote &&
        other.endpoints.remote === mine.local,
    ) ?? null
  );
}

/**
 * Pure: a negotiated channel of `self` whose label the other end also negotiated, under other ids
 * only. Negotiated channels pair by id alone, so neither end receives what the other sends.
 */
export function negotiatedIdFindings(self: PeerFacts, other: PeerFacts | null): Finding[] {
  if (!other) return [];
  const found: Finding[] = [];
  for (const channel of self.channels) {
    if (!channel.negotiated || channel.streamId === null) continue;
    const theirs = other.channels.filter(
      (c) => c.negotiated && c.label === channel.label && c.streamId !== null,
    );
    if (theirs.length === 0 || theirs.some((c) => c.streamId === channel.streamId)) continue;
    const ids = [...new Set(theirs.map((c) => c.streamId))].join(", ");
    found.push(
      finding(
        "page-negotiated-id-mismatch",
        `Channel "${channel.label}" is negotiated with id ${channel.streamId} here, and with id ${ids} at its other end (connection ${other.id}, in this page): negotiated channels pair by id, so neither end receives what the other sends.`,
      ),
    );
  }
  return found;
}
