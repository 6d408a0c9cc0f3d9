// The inspected page's connections, as the panel sees them: each batch the page recorder gives is
// validated (it comes from the page, which may forge it), then its events become timeline entries
// of one watched connection per page connection, its channel tallies become that connection's
// counters, and the findings are drawn again. Knows nothing of how batches are fetched.
import type { Finding } from "../../contract/findings";
import { Emitter } from "../core/emitter";
import type { PairSummary } from "../watch/pair-stats";
import type { CandidateDetail, DescriptionDetail } from "../watch/steps";
import { stepEntry, type TimelineEntry, type TimelineSource } from "../watch/timeline";
import { WatchedConnection } from "../watch/watched-connection";
import { type PageBatch, type RecordedChannel, type RecordedEvent, TRACED_CALLS } from "./page-batch";
import { pageFindings } from "./page-findings";
import {
  ENDPOINT_KEY,
  type Endpoints,
  endpointsOf,
  negotiatedIdFindings,
  otherEnd,
} from "./page-pair-findings";

export interface PageConnection {
  /** The panel's number for it, unique across frames (each frame's recorder counts from 1). */
  id: number;
  /** The recorder's own number, within its frame. */
  recorderId: number;
  frameUrl: string;
  watched: WatchedConnection;
  channels: RecordedChannel[];
  untrackedChannels: number;
  closedLocally: boolean;
  /** The latest getStats summary of its paths (the pairs, the pair in use); null until one was read. */
  stats: PairSummary | null;
  /** Its descriptions' endpoint keys, read again only when a description is set: the pair rule's input. */
  endpoints: Endpoints;
}

export interface PageRecordingEvents {
  /** The list of connections changed (one was added, or a new recording began). */
  connections: readonly PageConnection[];
  /** A batch was refused: it did not match the recorder's format. */
  refused: string;
  /** A batch was read: tallies and findings may have changed. */
  updated: undefined;
}

/** Checks a batch against page-batch.schema.json (the build-time compiled validator in the panel). */
export type BatchValidator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};

/** Connections shown at most, over every frame (each frame's recorder tracks up to 100). */
const MAX_PAGE_CONNECTIONS = 300;
/**
 * Timeline entries kept over every page connection (each keeps at most TIMELINE_LIMIT): past it the
 * longest timeline lets its oldest go. With the schema's longest strings this holds the panel's heap
 * to tens of MB (tests/e2e/chrome-page-flood.test.ts measures it).
 */
export const PAGE_ENTRY_BUDGET = 50_000;
/** Connections past MAX_PAGE_CONNECTIONS are counted up to this many (then "at least"), each once. */
const MAX_NOT_SHOWN_COUNTED = 10_000;
/** Frames whose untracked connections are counted apart; the rest share one entry. */
const MAX_FRAMES = 100;
const OTHER_FRAMES = "";
/** At most this many refusals are kept apart from each other: a forging page cannot flood the panel. */
const MAX_REFUSALS_REPORTED = 20;
/** How often a quiet connection's findings are judged again (some rules wait for time to pass). */
const REJUDGE_MS = 1000;

export class PageRecording {
  readonly events = new Emitter<PageRecordingEvents>();
  private list: PageConnection[] = [];
  private startedAtMs: number | null = null;
  private droppedInPage = 0;
  /** Connections each frame's recorder made but did not track (over its cap). */
  private untrackedByFrame = new Map<string, number>();
  /** Connections the recorders tracked that this list had no room for (frame and recorder number). */
  private notShown = new Set<string>();
  /** The number of the last recorder event taken: the next drain acknowledges it. */
  private acked = 0;
  private refusals = 0;
  private recordingOrigin = "";
  private lastSnapshot = new WeakMap<PageConnection, string>();
  private judgedAt = new WeakMap<PageConnection, number>();

  constructor(private readonly validate: BatchValidator) {}

  /** A new recording (the page is reloading with the recorder): what was shown belongs to the last one. */
  begin(origin: string): void {
    for (const c of this.list) {
      c.watched.stopSampling();
      c.watched.finish();
    }
    this.list = [];
    this.startedAtMs = null;
    this.droppedInPage = 0;
    this.acked = 0;
    this.untrackedByFrame = new Map();
    this.notShown = new Set();
    this.refusals = 0;
    this.recordingOrigin = origin;
    this.events.emit("connections", []);
  }

  get connections(): readonly PageConnection[] {
    return this.list;
  }

  get origin(): string {
    return this.recordingOrigin;
  }

  /** When the recorder started in the page (its clock), as an ISO time; null before the first batch. */
  get startedAt(): string | null {
    // A page chose this number: a date it cannot be is no date, never an exception in a report.
    const date = this.startedAtMs === null ? null : new Date(this.startedAtMs);
    return date && Number.isFinite(date.getTime()) ? date.toISOString() : null;
  }

  /**
   * A frame's untracked connections. A page names its frames itself: past MAX_FRAMES they share one
   * entry (the largest count), so a page forging frame after frame cannot grow this without bound.
   */
  private noteUntracked(frameUrl: string, untracked: number): void {
    const map = this.untrackedByFrame;
    const key = map.has(frameUrl) || map.size < MAX_FRAMES ? frameUrl : OTHER_FRAMES;
    map.set(key, key === OTHER_FRAMES ? Math.max(untracked, map.get(key) ?? 0) : untracked);
  }

  /** Connections the page made beyond the recorder's cap: not shown, not in any total. */
  get untrackedConnections(): number {
    let total = 0;
    for (const n of this.untrackedByFrame.values()) total += n;
    return total;
  }

  /**
   * Connections the recorders tracked past the MAX_PAGE_CONNECTIONS this list keeps: not shown, in no
   * total. Counted up to MAX_NOT_SHOWN_COUNTED, past which `atLeast` is set.
   */
  get notShownConnections(): { count: number; atLeast: boolean; shownAtMost: number } {
    return {
      count: this.notShown.size,
      atLeast: this.notShown.size >= MAX_NOT_SHOWN_COUNTED,
      shownAtMost: MAX_PAGE_CONNECTIONS,
    };
  }

  /** The last recorder event taken, which the next drain acknowledges (the recorder then lets it go). */
  get acknowledged(): number {
    return this.acked;
  }

  /** Events the recorder itself dropped to stay bounded. */
  get dropped(): number {
    return this.droppedInPage;
  }

  get refusedBatches(): number {
    return this.refusals;
  }

  /**
   * The recorded document went away (a navigation, or a reload without the recorder): its
   * connections ended then, whatever state they last reported.
   */
  documentLeft(): void {
    const t = this.startedAtMs === null ? 0 : Math.max(0, Date.now() - this.startedAtMs);
    for (const c of this.list) {
      if (!c.watched.live) continue;
      c.watched.insert(stepEntry(t, "peer", "document-left"));
      c.watched.stopSampling();
      c.watched.finish();
    }
    this.events.emit("updated", undefined);
  }

  /** Reads one batch; returns why it was refused, or null. Nothing of a refused batch is used. */
  ingest(data: unknown): string | null {
    if (!this.validate(data)) {
      this.refusals++;
      const first = this.validate.errors?.[0];
      const why = `The page gave data that is not the recorder's (at ${first?.instancePath || "the top level"}: ${first?.message ?? "wrong shape"}); it was ignored.`;
      if (this.refusals <= MAX_REFUSALS_REPORTED) this.events.emit("refused", why);
      return why;
    }
    const batch = data as PageBatch;
    this.startedAtMs ??= batch.startedAt;
    this.droppedInPage = batch.dropped;
    this.noteUntracked(batch.frameUrl, batch.untrackedConnections);
    const added = this.apply(batch);
    this.keepWithinBudget();
    if (added) this.events.emit("connections", this.list);
    this.events.emit("updated", undefined);
    return null;
  }

  /** Entries let go to keep every page connection's timeline within PAGE_ENTRY_BUDGET together. */
  get droppedEntries(): number {
    let dropped = 0;
    for (const c of this.list) dropped += c.watched.timeline.dropped;
    return dropped;
  }

  /** Past the budget, the longest timelines let their oldest entries go, a sixteenth more at a time. */
  private keepWithinBudget(): void {
    let total = 0;
    for (const c of this.list) total += c.watched.timeline.size;
    while (total > PAGE_ENTRY_BUDGET) {
      let longest = this.list[0] as PageConnection;
      for (const c of this.list) if (c.watched.timeline.size > longest.watched.timeline.size) longest = c;
      const cut = Math.min(
        longest.watched.timeline.size,
        total - PAGE_ENTRY_BUDGET + (PAGE_ENTRY_BUDGET >> 4),
      );
      longest.watched.timeline.dropOldest(cut);
      total -= cut;
    }
  }

  /** Entries and tallies into the watched connections; true when a connection is new. */
  private apply(batch: PageBatch): boolean {
    let added = false;
    const connection = (recorderId: number): PageConnection | undefined => {
      let c = this.list.find((x) => x.recorderId === recorderId && x.frameUrl === batch.frameUrl);
      if (!c) {
        if (this.list.length >= MAX_PAGE_CONNECTIONS) {
          if (this.notShown.size < MAX_NOT_SHOWN_COUNTED)
            this.notShown.add(`${batch.frameUrl}\n${recorderId}`);
          return undefined;
        }
        const id = this.list.length + 1;
        const watched = new WatchedConnection("page", `Page: connection ${id}`);
        watched.begin();
        watched.startSampling();
        c = {
          id,
          recorderId,
          frameUrl: batch.frameUrl,
          watched,
          channels: [],
          untrackedChannels: 0,
          closedLocally: false,
          stats: null,
          endpoints: { local: null, remote: null },
        };
        this.list.push(c);
        added = true;
      }
      return c;
    };
    const touched = new Set<PageConnection>();
    const described = new Set<PageConnection>();
    for (const event of batch.events) {
      // Events come again until acknowledged: one already taken is not taken twice.
      if (event.n !== undefined) {
        if (event.n <= this.acked) continue;
        this.acked = event.n;
      }
      const c = connection(event.c);
      const entry = entryOf(event);
      if (c && entry) c.watched.insert(entry);
      if (c) touched.add(c);
      if (c && (entry?.kind === "local-description-set" || entry?.kind === "remote-description-set"))
        described.add(c);
    }
    for (const c of described) c.endpoints = endpointsOf(c.watched.timeline.list());
    // The page's clock now: its recorder started at batch.startedAt (a forged value only silences the timed rules).
    const nowT = Math.max(0, Date.now() - batch.startedAt) || 0;
    for (const snapshot of batch.connections) {
      const c = connection(snapshot.id);
      if (!c) continue;
      // A quiet connection (no new events, the same tallies) needs no new totals, and its findings
      // only as time passes (an offer still unanswered): once a second.
      const seen = JSON.stringify(snapshot);
      const quiet = !touched.has(c) && seen === this.lastSnapshot.get(c);
      if (!quiet) {
        this.lastSnapshot.set(c, seen);
        c.channels = snapshot.channels;
        c.untrackedChannels = snapshot.untrackedChannels;
        c.closedLocally = snapshot.closedLocally;
        c.stats = snapshot.stats ?? c.stats;
        c.watched.setTotals(channelTotals(c.channels));
      }
      const judged = this.judgedAt.get(c) ?? Number.NEGATIVE_INFINITY;
      if (!quiet || Date.now() - judged >= REJUDGE_MS) this.judge(c, nowT);
    }
    return added;
  }

  private judge(c: PageConnection, nowT: number): void {
    this.judgedAt.set(c, Date.now());
    const findings: Finding[] = pageFindings({
      entries: c.watched.timeline.list(),
      channels: c.channels,
      closedLocally: c.closedLocally,
      nowT,
      stats: c.stats,
    });
    // Only a connection with a negotiated channel needs its other end looked for among the rest.
    if (c.channels.some((channel) => channel.negotiated)) {
      findings.push(...negotiatedIdFindings(c, otherEnd(c, this.list)));
    }
    if (JSON.stringify(findings) !== JSON.stringify(c.watched.findings)) c.watched.setFindings(findings);
  }
}

/** The recorder's calls, candidates and errors become typed steps; its states stay states. */
function entryOf(event: RecordedEvent): TimelineEntry | null {
  const source = event.s as TimelineSource;
  const detail = event.d ?? {};
  if (event.p === "candidate") return stepEntry(event.t, source, "candidate-gathered", candidateOf(detail));
  if (event.p === "call") return callEntry(event, source, detail);
  if (event.p === "config")
    return stepEntry(event.t, source, "configuration", {
      servers: numberOf(detail.servers),
      urls: String(detail.urls ?? ""),
      policy: String(detail.policy ?? ""),
      bundle: String(detail.bundle ?? ""),
    });
  // The recorder records two errors: icecandidateerror on the peer, and a channel's error event.
  if (event.p === "error")
    return source === "peer"
      ? stepEntry(event.t, source, "candidate-error", {
          code: numberOf(detail.code),
          text: String(detail.text ?? ""),
          url: typeof detail.url === "string" ? detail.url : null,
        })
      : stepEntry(event.t, source, "channel-error", { message: event.v });
  return {
    t: event.t,
    source,
    property: event.p,
    value: event.v,
    ...(event.r ? { read: true } : {}),
    // The recorder names a channel in its first read (label, side); a page gets no other text kept here.
    ...(event.r && event.d ? { detail: channelNaming(event.d) } : {}),
  };
}

type Detail = NonNullable<RecordedEvent["d"]>;

function channelNaming(d: Detail): Detail {
  return {
    ...(typeof d.label === "string" ? { label: d.label } : {}),
    ...(typeof d.side === "string" ? { side: d.side } : {}),
  };
}

/** A traced call and its outcome; a call the recorder does not trace is no entry. */
function callEntry(event: RecordedEvent, source: TimelineSource, d: Detail): TimelineEntry | null {
  const call = TRACED_CALLS.find((c) => c === event.v);
  if (!call) return null;
  const t = event.t;
  if (d.outcome === "error")
    return stepEntry(t, source, "call-failed", { method: call, error: String(d.error ?? "") });
  switch (call) {
    case "createOffer":
      return stepEntry(t, source, "offer-created");
    case "createAnswer":
      return stepEntry(t, source, "answer-created");
    case "setLocalDescription":
      return stepEntry(t, source, "local-description-set", descriptionOf(d));
    case "setRemoteDescription":
      return stepEntry(t, source, "remote-description-set", descriptionOf(d));
    case "addIceCandidate":
      return d.end === true
        ? stepEntry(t, source, "end-of-candidates")
        : stepEntry(t, source, "candidate-added", candidateOf(d));
    case "restartIce":
      return stepEntry(t, source, "ice-restarted");
  }
}

function descriptionOf(d: Detail): DescriptionDetail {
  return {
    type: String(d.type ?? ""),
    candidates: numberOf(d.candidates),
    data: d.data === true,
    ...(typeof d.endpoint === "string" && ENDPOINT_KEY.test(d.endpoint) ? { endpoint: d.endpoint } : {}),
  };
}

function numberOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function candidateOf(d: Detail): CandidateDetail {
  return {
    type: String(d.type ?? "unknown"),
    protocol: String(d.protocol ?? "unknown"),
    family: String(d.family ?? "unknown"),
    mdns: d.mdns === true || d.family === "mdns",
    loopback: d.loopback === true,
  };
}

/** A connection's counters: its channels' tallies summed (a page's recorder, or a dump's statistics). */
export function channelTotals(channels: readonly RecordedChannel[]) {
  const sum = (key: "messagesSent" | "bytesSent" | "messagesReceived" | "bytesReceived") =>
    channels.reduce((total, c) => total + c[key], 0);
  return {
    sentMessages: sum("messagesSent"),
    sentBytes: sum("bytesSent"),
    receivedMessages: sum("messagesReceived"),
    receivedBytes: sum("bytesReceived"),
  };
}
