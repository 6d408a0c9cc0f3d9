// The lost-connection watch's rules, with stand-ins for the peers' states (pure logic: no WebRTC).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DISCONNECTED_TIMEOUT_MS, LossWatch } from "../../../../src/engine/session/loss-watch";
import { SignsOfLife } from "../../../../src/engine/watch/signs-of-life";

type States = { iceConnectionState: string; connectionState: string };

function setup(bytes: () => number | null = () => null) {
  const peer: States = { iceConnectionState: "connected", connectionState: "connected" };
  const life = new SignsOfLife(async () => bytes());
  const reasons: string[] = [];
  const watch = new LossWatch([peer as unknown as RTCPeerConnection], life, (r) => reasons.push(r));
  return { peer, life, reasons, watch };
}

describe("LossWatch", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls a failed connection lost at once", () => {
    const { peer, reasons, watch } = setup();
    peer.iceConnectionState = "failed";
    watch.check();
    expect(reasons).toEqual(["the connection failed (ICE found no working path any more)"]);
    expect(watch.signal.aborted).toBe(true);
  });

  it("calls a disconnected connection lost once nothing crossed it for the timeout", async () => {
    const { peer, reasons, watch } = setup(() => 500);
    peer.iceConnectionState = "disconnected";
    watch.check();
    await vi.advanceTimersByTimeAsync(DISCONNECTED_TIMEOUT_MS + 10);
    expect(reasons).toEqual([
      `ICE disconnected and did not recover within ${DISCONNECTED_TIMEOUT_MS / 1000} s`,
    ]);
  });

  it("keeps a disconnected connection that still carries bytes, and forgets a recovered one", async () => {
    let bytes = 0;
    const { peer, reasons, watch } = setup(() => (bytes += 1000));
    peer.iceConnectionState = "disconnected";
    watch.check();
    await vi.advanceTimersByTimeAsync(3 * DISCONNECTED_TIMEOUT_MS);
    expect(reasons).toEqual([]);
    peer.iceConnectionState = "connected";
    watch.check();
    await vi.advanceTimersByTimeAsync(3 * DISCONNECTED_TIMEOUT_MS);
    expect(reasons).toEqual([]);
    expect(watch.signal.aborted).toBe(false);
  });
});
