// The page recorder: injected into the inspected page before any of its scripts (by
// devtools.inspectedWindow.reload({ injectedScript })), it watches the page's own RTCPeerConnections
// and RTCDataChannels and keeps what the panel's timeline shows, bounded in memory. It is
// transparent: the page gets the same objects, return values, events and errors as without it. The
// panel drains it a few times a second through inspectedWindow.eval and trusts none of it.
// Self-contained: build.mjs bundles this file alone into the string the panel injects.

import { utf8Length } from "../engine/core/rates";
import type { PageBatch, RecordedChannel, RecordedEvent } from "../engine/page/page-batch";
import { candidateDetail, describeCandidate } from "../engine/watch/candidates";
import { PEER_STATES } from "../engine/watch/peer-recorder";

/** Events kept between two drains; beyond it the oldest go and are counted. */
const MAX_EVENTS = 2000;
const MAX_CONNECTIONS = 100;
const MAX_CHANNELS = 64;
const MAX_TEXT = 200;

type Detail = RecordedEvent["d"];

interface ChannelRecord extends RecordedChannel {
  channel: RTCDataChannel;
}

interface ConnectionRecord {
  id: number;
  channels: ChannelRecord[];
  untrackedChannels: number;
  closedLocally: boolean;
}

export function install(key: string): void {
  const scope = globalThis as typeof globalThis & Record<string, unknown>;
  if (Object.hasOwn(scope, key)) return;
  const Native = scope.RTCPeerConnection;
  const now = performance.now.bind(performance);
  const started = now();
  const startedAt = Date.now();
  const frameUrl = `${location.origin}${location.pathname}`.slice(0, MAX_TEXT);
  let events: RecordedEvent[] = [];
  let dropped = 0;
  let untrackedConnections = 0;
  const connections: ConnectionRecord[] = [];
  const channelsByObject = new WeakMap<RTCDataChannel, ChannelRecord>();
  const nativeAdd = EventTarget.prototype.addEventListener;
  const listen = (target: EventTarget, type: string, handler: (event: Event) => void) =>
    nativeAdd.call(target, type, handler);

  const at = (event?: Event) =>
    Math.max(0, Math.round(((event ? event.timeStamp : now()) - started) * 1000) / 1000);
  const push = (entry: RecordedEvent) => {
    if (events.length >= MAX_EVENTS) {
      events = events.slice(MAX_EVENTS / 2);
      dropped += MAX_EVENTS / 2;
    }
    events[events.length] = entry;
  };
  const record = (c: number, s: string, p: string, v: string, event?: Event, d?: Detail) =>
    push({ c, t: at(event), s, p, v: String(v).slice(0, MAX_TEXT), ...(d ? { d } : {}) });
  /** A value read, not an event: where things stood when tracking began, or after close(). */
  const read = (c: number, s: string, p: string, v: string, d?: Detail) =>
    push({ c, t: at(), s, p, v: String(v).slice(0, MAX_TEXT), r: true, ...(d ? { d } : {}) });

  const trackChannel = (conn: ConnectionRecord, channel: RTCDataChannel, side: "local" | "remote") => {
    if (channelsByObject.has(channel)) return;
    if (conn.channels.length >= MAX_CHANNELS) {
      conn.untrackedChannels++;
      return;
    }
    const rec: ChannelRecord = {
      channel,
      id: conn.channels.length + 1,
      label: String(channel.label).slice(0, MAX_TEXT),
      side,
      streamId: channel.id,
      ordered: channel.ordered,
      maxRetransmits: channel.maxRetransmits,
      maxPacketLifeTime: channel.maxPacketLifeTime,
      negotiated: channel.negotiated,
      readyState: channel.readyState,
      messagesSent: 0,
      bytesSent: 0,
      messagesReceived: 0,
      bytesReceived: 0,
      bufferedAmountPeak: 0,
      sendErrors: 0,
      lastSendError: null,
      waitsForLow: false,
      closedLocally: false,
    };
    conn.channels[conn.channels.length] = rec;
    channelsByObject.set(channel, rec);
    const source = `channel:${rec.id}`;
    read(conn.id, source, "readyState", channel.readyState, { label: rec.label, side });
    for (const type of ["open", "closing", "close"]) {
      listen(channel, type, (event) => {
        rec.readyState = channel.readyState;
        record(conn.id, source, "readyState", channel.readyState, event);
      });
    }
    listen(channel, "error", (event) => {
      const error = (event as RTCErrorEvent).error;
      record(conn.id, source, "error", String(error?.message ?? "error").slice(0, MAX_TEXT), event);
    });
    listen(channel, "message", (event) => {
      rec.messagesReceived++;
      rec.bytesReceived += sizeOf((event as MessageEvent).data);
    });
  };

  // Without WebRTC there is nothing to wrap; the recorder is still there, so the panel knows it ran.
  const defineDrain = () =>
    Object.defineProperty(scope, key, { value: Object.freeze({ drain }), enumerable: false });
  if (typeof Native !== "function") {
    defineDrain();
    return;
  }

  class RecordedPeerConnection extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      if (connections.length >= MAX_CONNECTIONS) {
        untrackedConnections++;
        return;
      }
      const conn: ConnectionRecord = {
        id: connections.length + 1,
        channels: [],
        untrackedChannels: 0,
        closedLocally: false,
      };
      connections[connections.length] = conn;
      connectionsByObject.set(this, conn);
      const pc = this as RTCPeerConnection;
      for (const [type, property] of PEER_STATES) {
        read(conn.id, "peer", property, pc[property]);
        listen(pc, type, (event) => {
          record(conn.id, "peer", property, pc[property], event);
          if (property === "signalingState") watchTransports(conn, pc);
        });
      }
      listen(pc, "icecandidate", (event) => {
        const candidate = (event as RTCPeerConnectionIceEvent).candidate;
        if (candidate?.candidate)
          record(
            conn.id,
            "peer",
            "candidate",
            "gathered",
            event,
            candidateDetail(describeCandidate(candidate.candidate)),
          );
      });
      listen(pc, "icecandidateerror", (event) => {
        const e = event as RTCPeerConnectionIceErrorEvent;
        record(conn.id, "peer", "error", "candidate error", event, {
          code: e.errorCode,
          text: String(e.errorText ?? "").slice(0, MAX_TEXT),
        });
      });
      listen(pc, "datachannel", (event) =>
        trackChannel(conn, (event as RTCDataChannelEvent).channel, "remote"),
      );
    }

    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      const conn = connectionsByObject.get(this);
      if (conn) trackChannel(conn, channel, "local");
      return channel;
    }

    override close(): void {
      const conn = connectionsByObject.get(this);
      if (conn) conn.closedLocally = true;
      super.close();
      // close() fires no state events: read what it ended.
      if (conn) for (const [, property] of PEER_STATES) read(conn.id, "peer", property, this[property]);
    }
  }
  const connectionsByObject = new WeakMap<RTCPeerConnection, ConnectionRecord>();
  const transportsWatched = new WeakSet<object>();
  const watchTransports = (conn: ConnectionRecord, pc: RTCPeerConnection) => {
    const sctp = "sctp" in pc ? pc.sctp : null;
    if (!sctp || transportsWatched.has(sctp)) return;
    transportsWatched.add(sctp);
    read(conn.id, "sctp", "state", sctp.state);
    listen(sctp, "statechange", (event) => record(conn.id, "sctp", "state", sctp.state, event));
    const dtls = sctp.transport;
    if (!dtls || transportsWatched.has(dtls)) return;
    transportsWatched.add(dtls);
    read(conn.id, "dtls", "state", dtls.state);
    listen(dtls, "statechange", (event) => record(conn.id, "dtls", "state", dtls.state, event));
  };

  // Same name, same statics, same prototype chain: `instanceof` and feature checks see no change.
  Object.defineProperty(RecordedPeerConnection, "name", { value: Native.name });
  Object.defineProperty(scope, "RTCPeerConnection", {
    value: RecordedPeerConnection,
    writable: true,
    configurable: true,
    enumerable: false,
  });

  // Sends are counted on the prototype, for channels of every connection; errors pass through as they are.
  const channelProto = scope.RTCDataChannel?.prototype;
  if (channelProto) {
    const nativeSend = channelProto.send;
    const nativeClose = channelProto.close;
    const nativeChannelAdd = channelProto.addEventListener;
    const patch = (name: string, fn: (...args: never[]) => unknown, original: { length: number }) => {
      Object.defineProperty(fn, "name", { value: name });
      Object.defineProperty(fn, "length", { value: original.length });
      Object.defineProperty(channelProto, name, {
        value: fn,
        writable: true,
        configurable: true,
        enumerable: true,
      });
    };
    patch(
      "send",
      function send(this: RTCDataChannel, data: never) {
        const rec = channelsByObject.get(this);
        try {
          nativeSend.call(this, data);
        } catch (error) {
          if (rec) {
            rec.sendErrors++;
            rec.lastSendError = `${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, MAX_TEXT);
          }
          throw error;
        }
        if (rec) {
          rec.messagesSent++;
          rec.bytesSent += sizeOf(data);
          if (this.bufferedAmount > rec.bufferedAmountPeak) rec.bufferedAmountPeak = this.bufferedAmount;
        }
      },
      nativeSend,
    );
    patch(
      "close",
      function close(this: RTCDataChannel) {
        const rec = channelsByObject.get(this);
        if (rec) rec.closedLocally = true;
        return nativeClose.call(this);
      },
      nativeClose,
    );
    patch(
      "addEventListener",
      function addEventListener(this: RTCDataChannel, ...args: Parameters<EventTarget["addEventListener"]>) {
        const rec = channelsByObject.get(this);
        if (rec && args[0] === "bufferedamountlow") rec.waitsForLow = true;
        return nativeChannelAdd.apply(this, args as Parameters<RTCDataChannel["addEventListener"]>);
      },
      nativeChannelAdd,
    );
  }

  function drain(): PageBatch {
    const batch: PageBatch = {
      protocol: "loopback-page-recorder/1",
      startedAt,
      frameUrl,
      events,
      dropped,
      untrackedConnections,
      connections: connections.map((c) => ({
        id: c.id,
        untrackedChannels: c.untrackedChannels,
        closedLocally: c.closedLocally,
        channels: c.channels.map(({ channel, ...rest }) => ({
          ...rest,
          readyState: channel.readyState,
          streamId: channel.id,
          waitsForLow: rest.waitsForLow || channel.onbufferedamountlow !== null,
        })),
      })),
    };
    events = [];
    return batch;
  }
  defineDrain();
}

function sizeOf(data: unknown): number {
  if (typeof data === "string") return utf8Length(data);
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob === "function" && data instanceof Blob) return data.size;
  return 0;
}
