// The page's RTCPeerConnection, recorded: a subclass of the native one with the same name, statics
// and prototype chain, so `instanceof` and feature checks see no change. It records every state,
// candidate and candidate error, its transports' states, and the channels it makes or is handed.
import { candidateDetail, describeCandidate } from "../engine/watch/candidates";
import { PEER_STATES } from "../engine/watch/peer-recorder";
import { type ConnectionRecord, MAX_CONNECTIONS, MAX_TEXT, type RecorderState } from "./recorder-state";
import { trackChannel } from "./track-channel";

export function recordedPeerConnection(
  state: RecorderState,
  Native: typeof RTCPeerConnection,
): typeof RTCPeerConnection {
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
      });
    });
    state.listen(pc, "datachannel", (event) =>
      trackChannel(state, conn, (event as RTCDataChannelEvent).channel, "remote"),
    );
  };

  class RecordedPeerConnection extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      if (state.connections.length >= MAX_CONNECTIONS) {
        state.untrackedConnections++;
        return;
      }
      const conn: ConnectionRecord = {
        id: state.connections.length + 1,
        channels: [],
        untrackedChannels: 0,
        closedLocally: false,
      };
      state.connections[state.connections.length] = conn;
      state.connectionsByObject.set(this, conn);
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
  return RecordedPeerConnection;
}
