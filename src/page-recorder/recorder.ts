// The page recorder: injected into the inspected page before any of its scripts (by
// devtools.inspectedWindow.reload({ injectedScript })), it watches the page's own RTCPeerConnections
// and RTCDataChannels and keeps what the panel's timeline shows, bounded in memory. It is
// transparent: the page gets the same objects, return values, events and errors as without it. The
// panel drains it a few times a second through inspectedWindow.eval and trusts none of it.
// Self-contained: build.mjs bundles this file (and what it imports) into the string the panel injects.
import type { PageBatch } from "../engine/page/page-batch";
import { MAX_TEXT, RecorderState } from "./recorder-state";
import { wrapChannelPrototype } from "./wrap-channel";
import { recordedPeerConnection } from "./wrap-peer-connection";

export function install(key: string): void {
  const scope = globalThis as typeof globalThis & Record<string, unknown>;
  if (Object.hasOwn(scope, key)) return;
  const Native = scope.RTCPeerConnection;
  const state = new RecorderState();
  const startedAt = Date.now();
  const frameUrl = `${location.origin}${location.pathname}`.slice(0, MAX_TEXT);

  let drainedAt = Date.now();
  /** Everything since what the panel acknowledged (`acked`, the last event number it took). */
  const drain = (acked: unknown): PageBatch => {
    drainedAt = Date.now();
    return batch(acked);
  };
  const batch = (acked: unknown): PageBatch => ({
    protocol: "loopback-page-recorder/1",
    startedAt,
    frameUrl,
    // Read before the events are taken: a batch's counts cover at least its events.
    dropped: state.dropped,
    untrackedConnections: state.untrackedConnections,
    connections: state.connections.map((c) => ({
      id: c.id,
      untrackedChannels: c.untrackedChannels,
      closedLocally: c.closedLocally,
      ...(c.stats ? { stats: c.stats } : {}),
      channels: c.channels.map(({ channel, ...rest }) => ({
        ...rest,
        readyState: channel.readyState,
        streamId: channel.id,
        waitsForLow: rest.waitsForLow || channel.onbufferedamountlow !== null,
      })),
    })),
    events: state.unacknowledged(typeof acked === "number" && acked >= 0 ? acked : 0),
  });
  // What puts the page back as it was: the panel calls stop() when DevTools closes.
  const undo: (() => void)[] = [];
  // Without WebRTC there is nothing to wrap; the recorder is still there, so the panel knows it ran.
  if (typeof Native === "function") {
    const before = Object.getOwnPropertyDescriptor(scope, "RTCPeerConnection");
    const Recorded = recordedPeerConnection(state, Native);
    Object.defineProperty(scope, "RTCPeerConnection", {
      value: Recorded,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    undo.push(() => {
      // Only where the page did not replace it since.
      if (before && scope.RTCPeerConnection === Recorded)
        Object.defineProperty(scope, "RTCPeerConnection", before);
    });
    const channelProto = scope.RTCDataChannel?.prototype;
    if (channelProto) undo.push(wrapChannelPrototype(state, channelProto));
  }
  /** Removes the recorder: the page's own classes and methods back, its timers ended, its global gone. */
  const stop = () => {
    for (const step of undo.splice(0)) step();
    state.stop();
    delete scope[key];
  };
  Object.defineProperty(scope, key, {
    value: Object.freeze({ drain, stop }),
    enumerable: false,
    configurable: true,
  });
  watchForThePanel(state, () => drainedAt, stop);
}

/** The panel drains four times a second; this long without a drain, DevTools has closed. */
const UNDRAINED_MS = 20_000;
const WATCH_MS = 1000;

/**
 * The panel asks the recorder to go as DevTools closes, but that request may never arrive: so the
 * recorder also goes by itself once no drain came for UNDRAINED_MS while the page was free to
 * answer. A tick that comes late means the page itself was busy (a drain could not run either):
 * the wait starts again rather than counting that time against the panel.
 */
function watchForThePanel(state: RecorderState, drainedAt: () => number, stop: () => void): void {
  let tickedAt = Date.now();
  let waitFrom = drainedAt();
  state.every(WATCH_MS, () => {
    const now = Date.now();
    if (now - tickedAt > WATCH_MS * 3) waitFrom = now;
    tickedAt = now;
    waitFrom = Math.max(waitFrom, drainedAt());
    if (now - waitFrom >= UNDRAINED_MS) stop();
  });
}
