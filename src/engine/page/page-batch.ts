// What the page recorder (src/page-recorder/recorder.ts) hands the panel at each drain. The panel
// trusts none of it: page-batch.schema.json bounds every field and size, and build.mjs compiles it
// into the validator the panel runs on each batch before reading it.
import type { PairSummary } from "../watch/pair-stats";

const PAGE_RECORDER_PROTOCOL = "loopback-page-recorder/1";

/**
 * Set (true) in the RTCConfiguration of a connection the extension itself makes in the page (the
 * web-page probe): the recorder leaves it out, so the page's connections and tallies are its own.
 * Browsers ignore configuration members they do not know.
 */
export const UNRECORDED_MARK = "loopbackLabUnrecorded";

/** The recorder tracks at most this many connections per frame, and channels per connection. */
export const RECORDER_CAPS = { connections: 100, channels: 64 } as const;

/** The page's calls the recorder traces, with their outcomes. */
export const TRACED_CALLS = [
  "createOffer",
  "createAnswer",
  "setLocalDescription",
  "setRemoteDescription",
  "addIceCandidate",
  "restartIce",
] as const;
export type TracedCall = (typeof TRACED_CALLS)[number];

export interface RecordedEvent {
  /** The event's number, counting from 1: the panel acknowledges the last one it took. */
  n?: number;
  /** The recorder's connection number. */
  c: number;
  /** Milliseconds since the recorder started (the event's own timeStamp where it has one). */
  t: number;
  /** "peer", "dtls", "sctp" or "channel:<n>". */
  s: string;
  p: string;
  v: string;
  /** A value read, not an event (where things stood when tracking began, or after close()). */
  r?: true;
  d?: Record<string, string | number | boolean | null>;
}

export interface RecordedChannel {
  /** The recorder's channel number within its connection. */
  id: number;
  label: string;
  side: "local" | "remote";
  /** The SCTP stream id; null until negotiated. */
  streamId: number | null;
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  negotiated: boolean;
  readyState: string;
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
  bufferedAmountPeak: number;
  /** send() calls that threw (too large, not open, queue full). */
  sendErrors: number;
  lastSendError: string | null;
  /** The page listens for bufferedamountlow (onbufferedamountlow or addEventListener). */
  waitsForLow: boolean;
  /** The page called close() on this end. */
  closedLocally: boolean;
}

interface RecordedConnection {
  id: number;
  channels: RecordedChannel[];
  untrackedChannels: number;
  /** The page called close() on the connection. */
  closedLocally: boolean;
  /** The latest getStats summary of its paths, once one was read. */
  stats?: PairSummary;
}

export interface PageBatch {
  protocol: typeof PAGE_RECORDER_PROTOCOL;
  /** Date.now() when the recorder started, in the page. */
  startedAt: number;
  /** The frame's origin and path (no query, no fragment). */
  frameUrl: string;
  /** Since the last drain, oldest first. */
  events: RecordedEvent[];
  /** Events the recorder dropped since it started, to stay bounded. */
  dropped: number;
  untrackedConnections: number;
  connections: RecordedConnection[];
}
