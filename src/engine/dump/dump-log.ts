// One peer connection's updateLog, as chrome://webrtc-internals writes it (and an rtcstats dump
// once read into the same shape), turned into the timeline entries the page recorder's events
// become: states, calls with their outcomes, candidates, errors. Pure; everything in it came from a
// file someone sent, so every string is cut and nothing is trusted to have its documented type.
import { shownUrl } from "../ice/shown-url";
import type { RecordedChannel } from "../page/page-batch";
import { describeAdded, describeConfiguration, describeDescription } from "../watch/call-details";
import { candidateDetail, describeCandidate } from "../watch/candidates";
import type { CandidateDetail, DescriptionDetail } from "../watch/steps";
import { stepEntry, type TimelineEntry } from "../watch/timeline";

/** One updateLog entry: `type` is the call or event, `value` its argument or result, `t` ms from the dump's t = 0. */
export interface LogEntry {
  type: string;
  value: string;
  t: number;
}

/** A data channel the log made or was handed, before statistics say more of it. */
export interface LoggedChannel {
  id: number;
  label: string;
  side: RecordedChannel["side"];
  ordered: boolean;
  maxRetransmits: number | null;
  maxPacketLifeTime: number | null;
  negotiated: boolean;
  streamId: number | null;
  /** When the log made it (createDataChannel) or handed it over (ondatachannel). */
  t: number;
}

export interface ReadLog {
  entries: TimelineEntry[];
  channels: LoggedChannel[];
  /** The page called close() on the connection. */
  closedLocally: boolean;
  /** When close() was called; null when it was not. */
  closedAt: number | null;
  /** Channels the log made beyond the cap. */
  untrackedChannels: number;
}

/** Channels per connection at most, as the page recorder tracks. */
const MAX_CHANNELS = 64;
const MAX_TEXT = 200;
const PEER_STATES = {
  onsignalingstatechange: "signalingState",
  oniceconnectionstatechange: "iceConnectionState",
  onconnectionstatechange: "connectionState",
  onicegatheringstatechange: "iceGatheringState",
} as const;
/** Where a connection starts: what a new RTCPeerConnection reads, before any event. */
const INITIAL_STATES = [
  ["signalingState", "stable"],
  ["iceGatheringState", "new"],
  ["iceConnectionState", "new"],
  ["connectionState", "new"],
] as const;
/** The calls whose outcome the log gives as `<call>OnSuccess` / `<call>OnFailure`. */
const DESCRIPTION_CALLS = [
  "createOffer",
  "createAnswer",
  "setLocalDescription",
  "setRemoteDescription",
] as const;
type DescriptionCall = (typeof DESCRIPTION_CALLS)[number];

export function readLog(log: readonly LogEntry[], configuration: string): ReadLog {
  return new LogReader(configuration).read(log);
}

class LogReader {
  private readonly entries: TimelineEntry[] = [];
  private readonly channels: LoggedChannel[] = [];
  private untrackedChannels = 0;
  private closedAt: number | null = null;
  /** The argument of each description call still waiting for its outcome. */
  private readonly pendingDescription = new Map<DescriptionCall, string>();
  /** addIceCandidate calls not yet answered by a failure: the log writes only failures. */
  private readonly pendingAdds: { t: number; value: string }[] = [];

  constructor(private readonly configuration: string) {}

  read(log: readonly LogEntry[]): ReadLog {
    const t0 = log[0]?.t ?? 0;
    // A connection nothing was logged for (made before webrtc-internals opened) could be in any
    // state: none is claimed for it.
    if (log.length > 0)
      for (const [property, value] of INITIAL_STATES)
        this.entries.push({ t: t0, source: "peer", property, value, read: true });
    this.entries.push(stepEntry(t0, "peer", "configuration", configurationOf(this.configuration)));
    for (const entry of log) this.take(entry);
    // Adds the log never reported failing were taken (the log writes no success for them).
    for (const add of this.pendingAdds.splice(0)) this.added(add.t, add.value);
    this.entries.sort((a, b) => a.t - b.t);
    return {
      entries: this.entries,
      channels: this.channels,
      closedLocally: this.closedAt !== null,
      closedAt: this.closedAt,
      untrackedChannels: this.untrackedChannels,
    };
  }

  private take({ type, value, t }: LogEntry): void {
    const state = PEER_STATES[type as keyof typeof PEER_STATES];
    if (state) {
      this.entries.push({ t, source: "peer", property: state, value: unquoted(value) });
      return;
    }
    const call = DESCRIPTION_CALLS.find((c) => type.startsWith(c));
    if (call) {
      this.descriptionCall(call, type.slice(call.length), value, t);
      return;
    }
    switch (type) {
      case "addIceCandidate":
        this.pendingAdds.push({ t, value });
        return;
      case "addIceCandidateFailed": {
        const add = this.pendingAdds.shift();
        if (add) this.entries.push(failed(t, "addIceCandidate", value));
        return;
      }
      case "onicecandidate": {
        const line = jsonObject(value)?.candidate;
        if (typeof line === "string" && line)
          this.entries.push(stepEntry(t, "peer", "candidate-gathered", candidateOf(line)));
        return;
      }
      case "onicecandidateerror":
      case "icecandidateerror":
        this.entries.push(candidateError(t, value));
        return;
      case "createDataChannel":
      case "ondatachannel":
      case "datachannel":
        this.channel(type === "createDataChannel" ? "local" : "remote", value, t);
        return;
      case "restartIce":
        this.entries.push(stepEntry(t, "peer", "ice-restarted"));
        return;
      case "close":
        this.close(t);
        return;
    }
  }

  private descriptionCall(call: DescriptionCall, outcome: string, value: string, t: number): void {
    if (outcome === "") {
      this.pendingDescription.set(call, value);
      return;
    }
    if (outcome === "OnFailure") {
      this.pendingDescription.delete(call);
      this.entries.push(failed(t, call, value));
      return;
    }
    if (outcome !== "OnSuccess") return;
    // createOffer's success carries the description made; set*'s success carries nothing, its call did.
    const description = call.startsWith("create") ? value : (this.pendingDescription.get(call) ?? "");
    this.pendingDescription.delete(call);
    if (call === "createOffer") this.entries.push(stepEntry(t, "peer", "offer-created"));
    else if (call === "createAnswer") this.entries.push(stepEntry(t, "peer", "answer-created"));
    else
      this.entries.push(
        stepEntry(
          t,
          "peer",
          call === "setLocalDescription" ? "local-description-set" : "remote-description-set",
          descriptionOf(description),
        ),
      );
  }

  private added(t: number, value: string): void {
    const added = describeAdded(jsonObject(value) as RTCIceCandidateInit | null);
    if (added.end === true) this.entries.push(stepEntry(t, "peer", "end-of-candidates"));
    else this.entries.push(stepEntry(t, "peer", "candidate-added", added as CandidateDetail));
  }

  private channel(side: RecordedChannel["side"], value: string, t: number): void {
    if (this.channels.length >= MAX_CHANNELS) {
      this.untrackedChannels++;
      return;
    }
    const options = jsonObject(value) ?? {};
    const id = this.channels.length + 1;
    this.channels.push({
      id,
      label: text(options.label),
      side,
      ordered: options.ordered !== false,
      maxRetransmits: wholeOrNull(options.maxRetransmits),
      maxPacketLifeTime: wholeOrNull(options.maxPacketLifeTime),
      negotiated: options.negotiated === true,
      streamId: wholeOrNull(options.id),
      t,
    });
    if (side === "local")
      this.entries.push({
        t,
        source: `channel:${id}`,
        property: "readyState",
        value: "connecting",
        read: true,
      });
    else this.entries.push(stepEntry(t, `channel:${id}`, "channel-handed-over"));
  }

  /** close() fires no state events: it ends every state, and every channel, at once. */
  private close(t: number): void {
    if (this.closedAt !== null) return;
    this.closedAt = t;
    for (const property of ["signalingState", "iceConnectionState", "connectionState"])
      this.entries.push({ t, source: "peer", property, value: "closed", read: true });
    for (const c of this.channels)
      this.entries.push({
        t,
        source: `channel:${c.id}`,
        property: "readyState",
        value: "closed",
        read: true,
      });
  }
}

function failed(t: number, method: string, error: string): TimelineEntry {
  return stepEntry(t, "peer", "call-failed", { method, error: error.slice(0, MAX_TEXT) });
}

function candidateError(t: number, value: string): TimelineEntry {
  const e = jsonObject(value) ?? {};
  return stepEntry(t, "peer", "candidate-error", {
    code: Number.isInteger(e.error_code ?? e.errorCode) ? Number(e.error_code ?? e.errorCode) : 0,
    text: text(e.error_text ?? e.errorText),
    url: typeof e.url === "string" ? shownUrl(e.url.slice(0, 1000)) : null,
  });
}

function configurationOf(raw: string): { servers: number; urls: string; policy: string; bundle: string } {
  const d = describeConfiguration((jsonObject(raw) ?? {}) as RTCConfiguration);
  return {
    servers: Number(d.servers),
    urls: String(d.urls),
    policy: String(d.policy),
    bundle: String(d.bundle),
  };
}

function descriptionOf(raw: string): DescriptionDetail {
  const parsed = jsonObject(raw);
  const d = describeDescription({
    type: text(parsed?.type) as RTCSdpType,
    sdp: typeof parsed?.sdp === "string" ? parsed.sdp : "",
  });
  return {
    type: String(d.type),
    candidates: Number(d.candidates),
    data: d.data === true,
    ...(typeof d.endpoint === "string" ? { endpoint: d.endpoint } : {}),
  };
}

function candidateOf(line: string): CandidateDetail {
  return candidateDetail(describeCandidate(line.slice(0, 1000)));
}

/** A JSON object from a log value; null for anything else (a log value is often plain text). */
function jsonObject(raw: string): Record<string, unknown> | null {
  if (!raw.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A state event's value is a JSON string ("\"stable\""); older dumps wrote it bare. */
function unquoted(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "string") return value.slice(0, 40);
  } catch {
    // bare text
  }
  return raw.slice(0, 40);
}

function text(value: unknown): string {
  return typeof value === "string" ? value.slice(0, MAX_TEXT) : "";
}

function wholeOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null;
}
