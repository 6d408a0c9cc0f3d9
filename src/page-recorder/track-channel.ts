// A data channel the page made or was handed: its options, readyState changes, errors and what it
// received, kept in a bounded record (sends are counted on the prototype, see wrap-channel.ts).
import {
  type ChannelRecord,
  type ConnectionRecord,
  MAX_CHANNELS,
  MAX_TEXT,
  type RecorderState,
  sizeOf,
} from "./recorder-state";

export function trackChannel(
  state: RecorderState,
  conn: ConnectionRecord,
  channel: RTCDataChannel,
  side: "local" | "remote",
): void {
  if (state.channelsByObject.has(channel)) return;
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
  state.channelsByObject.set(channel, rec);
  const source = `channel:${rec.id}`;
  state.read(conn.id, source, "readyState", channel.readyState, { label: rec.label, side });
  for (const type of ["open", "closing", "close"]) {
    state.listen(channel, type, (event) => {
      rec.readyState = channel.readyState;
      state.record(conn.id, source, "readyState", channel.readyState, event);
    });
  }
  state.listen(channel, "error", (event) => {
    const error = (event as RTCErrorEvent).error;
    state.record(conn.id, source, "error", String(error?.message ?? "error").slice(0, MAX_TEXT), event);
  });
  state.listen(channel, "message", (event) => {
    rec.messagesReceived++;
    rec.bytesReceived += sizeOf((event as MessageEvent).data);
  });
}
