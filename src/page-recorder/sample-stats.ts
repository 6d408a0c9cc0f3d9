// The paths of each recorded connection, from getStats about once a second while it is not closed
// (and at once when ICE connects or fails): its candidate pairs by transport, the checks sent and answered, the
// pair in use and the bytes. The native getStats is called, so the page's own calls are untouched.
import { pairSummary } from "../engine/watch/pair-stats";
import type { ConnectionRecord, RecorderState } from "./recorder-state";

const STATS_INTERVAL_MS = 1000;
/** At most this many connections are read per tick: a page with a hundred costs no more. */
const MAX_SAMPLED_PER_TICK = 20;

/** Starts sampling; returns the function that reads one connection now. */
export function statsSampler(
  state: RecorderState,
  Native: typeof RTCPeerConnection,
): (conn: ConnectionRecord) => void {
  const getStats = Native.prototype.getStats;
  const reading = new WeakSet<ConnectionRecord>();
  let next = 0;
  const sample = (conn: ConnectionRecord) => {
    const pc = conn.peer?.deref();
    if (!pc || pc.signalingState === "closed" || reading.has(conn) || state.stopped) return;
    reading.add(conn);
    getStats.call(pc).then(
      (report) => {
        reading.delete(conn);
        conn.stats = pairSummary([...(report as Map<string, Record<string, unknown>>).values()]);
      },
      () => reading.delete(conn),
    );
  };
  state.every(STATS_INTERVAL_MS, () => {
    const all = state.connections;
    for (let i = 0; i < Math.min(all.length, MAX_SAMPLED_PER_TICK); i++) {
      const conn = all[(next + i) % all.length];
      if (conn) sample(conn);
    }
    next = all.length > 0 ? (next + MAX_SAMPLED_PER_TICK) % all.length : 0;
  });
  return sample;
}
