// Shared by the Chrome and Firefox event-order tests: a test listener on the very same peer
// connections and channels records each event's own timeStamp, and the panel's entries must come in
// that order, each at that time (one constant offset: the timeline's t = 0).

import { expect } from "vitest";
import { type LabFrame, lab } from "../../src/contract/lab-client";

interface Fired {
  source: string;
  property: string;
  value: string;
  timeStamp: number;
}

/** `tolerance`: how far the offsets may spread, in ms (Firefox rounds its clocks to 1 ms). */
export async function checkEventOrder(panel: LabFrame, tolerance: number): Promise<void> {
  const fired: Fired[] = await lab(panel).evaluate(async (lab) => {
    const log: Fired[] = [];
    const Native = RTCPeerConnection;
    let made = 0;
    const watchChannel = (channel: RTCDataChannel, source: string) => {
      for (const type of ["open", "close"])
        channel.addEventListener(type, (e) =>
          log.push({ source, property: "readyState", value: channel.readyState, timeStamp: e.timeStamp }),
        );
    };
    // The engine makes its two peers with `new RTCPeerConnection()`: these are the same objects.
    const Recording = function (this: unknown, config?: RTCConfiguration) {
      const pc = new Native(config);
      const source = made++ === 0 ? "localPeer" : "remotePeer";
      for (const [type, property] of [
        ["connectionstatechange", "connectionState"],
        ["iceconnectionstatechange", "iceConnectionState"],
        ["icegatheringstatechange", "iceGatheringState"],
      ] as const)
        pc.addEventListener(type, (e) =>
          log.push({ source, property, value: pc[property], timeStamp: e.timeStamp }),
        );
      if (source === "localPeer") {
        const create = pc.createDataChannel.bind(pc);
        pc.createDataChannel = (label: string, init?: RTCDataChannelInit) => {
          const channel = create(label, init);
          if (label === "sendChannel") watchChannel(channel, "sendChannel");
          return channel;
        };
      } else {
        pc.addEventListener("datachannel", (e) => {
          if (e.channel.label === "sendChannel") watchChannel(e.channel, "receiveChannel");
        });
      }
      return pc;
    } as unknown as typeof RTCPeerConnection;
    Recording.prototype = Native.prototype;
    window.RTCPeerConnection = Recording;
    try {
      await lab.connect();
      await lab.send("in order");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lab.disconnect();
    } finally {
      window.RTCPeerConnection = Native;
    }
    return log;
  });
  const { timeline } = await lab(panel).call("report");
  // Chrome hands the receiving end over already open: the engine reads "open" at the handover
  // (marked as a read), and the open event that follows repeats it. Those are compared apart.
  const handedOverOpen = timeline.some(
    (e) => e.source === "receiveChannel" && e.property === "readyState" && e.value === "open" && e.read,
  );
  const events = fired.filter(
    (f) => !(handedOverOpen && f.source === "receiveChannel" && f.value === "open"),
  );
  // Every fired event has its entry; after close() the browser fires nothing more.
  const matched = events.map((event) => {
    const entry = timeline.find(
      (e) =>
        e.source === event.source &&
        e.property === event.property &&
        e.value === event.value &&
        !e.read &&
        !e.synthetic,
    );
    return { event, entry };
  });
  const missing = matched
    .filter((m) => !m.entry)
    .map((m) => `${m.event.source}.${m.event.property}=${m.event.value}`);
  expect(missing).toEqual([]);
  expect(matched.length).toBeGreaterThan(10);
  // Same order…
  const byTime = [...matched].sort((a, b) => a.event.timeStamp - b.event.timeStamp);
  const byEntry = [...matched].sort((a, b) => (a.entry?.t ?? 0) - (b.entry?.t ?? 0));
  const name = (m: (typeof matched)[number]) => `${m.event.source}.${m.event.property}=${m.event.value}`;
  expect(byEntry.map(name)).toEqual(byTime.map(name));
  // …and the same times, up to one constant offset (t = 0 is Connect).
  const offsets = matched.map((m) => (m.entry?.t ?? 0) - m.event.timeStamp);
  expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThanOrEqual(tolerance);
  // The values read at Connect say so.
  expect(timeline.filter((e) => e.read).map((e) => `${e.source}.${e.property}`)).toEqual(
    expect.arrayContaining([
      "localPeer.signalingState",
      "localPeer.connectionState",
      "sendChannel.readyState",
    ]),
  );
}
