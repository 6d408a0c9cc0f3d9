// The page's RTCPeerConnection, recorded: a subclass of the native one with the same name, statics
// and prototype chain, so `instanceof` and feature checks see no change. It records its
// configuration, every state, candidate and candidate error, its transports' states, the calls that
// shape it (trace-calls.ts), and the channels it makes or is handed.

import { shownUrl } from "../engine/ice/shown-url";
import { TRACED_CALLS, type TracedCall, UNRECORDED_MARK } from "../engine/page/page-batch";
import { describeAdded, describeConfiguration, describeDescription } from "../engine/watch/call-details";
import { candidateDetail, describeCandidate } from "../engine/watch/candidates";
import { PEER_STATES } from "../engine/watch/peer-recorder";
import {
  type ConnectionRecord,
  type Detail,
  MAX_CONNECTIONS,
  MAX_TEXT,
  type RecorderState,
} from "./recorder-state";
import { statsSampler } from "./sample-stats";
import { CallTracer } from "./trace-calls";
import { trackChannel } from "./track-channel";

export function recordedPeerConnection(
  state: RecorderState,
  Native: typeof RTCPeerConnection,
): typeof RTCPeerConnection {
  const sampleNow = statsSampler(state, Native);
  const transportsWatched = new WeakSet<object>();
  const watchTransports = (conn: ConnectionRecord, pc: RTCPeerConnection) => {
    const sctp = "sctp" in pc ? pc.sctp : null;
    if (!sctp || transportsWatched.has(sctp)) return;
    transportsWatched.add(sctp);
    state.read(conn.id, "sctp", "state", sctp.state);
    state.listen(sctp, "statechange", (event) => state.record(conn.id, "sctp", "state", sctp.state, event));
    const dtls = sctp.transport;
    if (!dtls || transportsWatched.has(dtls)) return;
    transportsWatched.add(dtls);
    state.read(conn.id, "dtls", "state", dtls.state);
    state.listen(dtls, "statechange", (event) => state.record(conn.id, "dtls", "state", dtls.state, event));
  };

  const watch = (conn: ConnectionRecord, pc: RTCPeerConnection) => {
    for (const [type, property] of PEER_STATES) {
      state.read(conn.id, "peer", property, pc[property]);
      state.listen(pc, type, (event) => {
        state.record(conn.id, "peer", property, pc[property], event);
        if (property === "signalingState") watchTransports(conn, pc);
        // The pair ICE chose, or the paths it tried before failing: read them now, not a second later
        // (a page may close the connection before then).
        if (
          property === "iceConnectionState" &&
          ["connected", "completed", "failed"].includes(pc.iceConnectionState)
        )
          sampleNow(conn);
      });
    }
    state.listen(pc, "icecandidate", (event) => {
      const candidate = (event as RTCPeerConnectionIceEvent).candidate;
      if (candidate?.candidate) {
        const detail = candidateDetail(describeCandidate(candidate.candidate));
        state.record(conn.id, "peer", "candidate", "gathered", event, detail);
      }
    });
    state.listen(pc, "icecandidateerror", (event) => {
      const e = event as RTCPeerConnectionIceErrorEvent;
      state.record(conn.id, "peer", "error", "candidate error", event, {
        code: e.errorCode,
        text: String(e.errorText ?? "").slice(0, MAX_TEXT),
        url: e.url ? shownUrl(String(e.url)) : "",
      });
    });
    state.listen(pc, "datachannel", (event) =>
      trackChannel(state, conn, (event as RTCDataChannelEvent).channel, "remote"),
    );
  };

  class RecordedPeerConnection extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      // The extension's own connections in the page (the web-page probe) are not the page's.
      if ((args[0] as Record<string, unknown> | undefined)?.[UNRECORDED_MARK] === true) return;
      if (state.connections.length >= MAX_CONNECTIONS) {
        state.untrackedConnections++;
        return;
      }
      const conn: ConnectionRecord = {
        id: state.connections.length + 1,
        channels: [],
        untrackedChannels: 0,
        closedLocally: false,
        peer: typeof WeakRef === "function" ? new WeakRef(this) : null,
        stats: null,
      };
      state.connections[state.connections.length] = conn;
      state.connectionsByObject.set(this, conn);
      state.read(conn.id, "peer", "config", "", describeConfiguration(args[0]));
      watch(conn, this);
    }

    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init);
      const conn = state.connectionsByObject.get(this);
      if (conn) trackChannel(state, conn, channel, "local");
      return channel;
    }

    override close(): void {
      const conn = state.connectionsByObject.get(this);
      if (conn) conn.closedLocally = true;
      super.close();
      // close() fires no state events: read what it ended.
      if (conn) for (const [, property] of PEER_STATES) state.read(conn.id, "peer", property, this[property]);
    }
  }
  Object.defineProperty(RecordedPeerConnection, "name", { value: Native.name });
  traceCalls(state, Native, RecordedPeerConnection);
  return RecordedPeerConnection;
}

type Describe = (pc: RTCPeerConnection, args: unknown[]) => (value: unknown) => Detail;

/** What a successful call carried, read once it resolved. */
const DESCRIBE: Record<TracedCall, Describe> = {
  createOffer: () => (value) => describeDescription(value as RTCSessionDescriptionInit),
  createAnswer: () => (value) => describeDescription(value as RTCSessionDescriptionInit),
  setLocalDescription: (pc) => () => describeDescription(pc.localDescription),
  setRemoteDescription: (pc) => () => describeDescription(pc.remoteDescription),
  addIceCandidate: (_, args) => () => describeAdded(args[0] as RTCIceCandidateInit | null | undefined),
  restartIce: () => () => ({}),
};

/**
 * The traced calls, on the recorded class's prototype: each calls the native one first and hands
 * back exactly what it gave, with the same name and length.
 */
function traceCalls(
  state: RecorderState,
  Native: typeof RTCPeerConnection,
  Recorded: typeof RTCPeerConnection,
): void {
  const tracer = new CallTracer(state);
  for (const call of TRACED_CALLS) {
    const native = Native.prototype[call] as unknown as ((...args: unknown[]) => unknown) | undefined;
    if (typeof native !== "function") continue;
    const traced = function (this: RTCPeerConnection, ...args: unknown[]) {
      const result = native.apply(this, args);
      const conn = state.connectionsByObject.get(this);
      return conn ? tracer.trace(conn, call, result, DESCRIBE[call](this, args)) : result;
    };
    Object.defineProperty(traced, "name", { value: call });
    Object.defineProperty(traced, "length", { value: native.length });
    Object.defineProperty(Recorded.prototype, call, {
      value: traced,
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
}
