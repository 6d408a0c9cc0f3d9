// What is kept of a configuration, a description and a candidate: counts and kinds,
// never a credential, an address or the SDP itself.
import { describe, expect, it } from "vitest";
import {
  describeAdded,
  describeConfiguration,
  describeDescription,
} from "../../../../src/engine/watch/call-details";

describe("the recorder's trace of a page connection", () => {
  it("never keeps a username or credential from the configuration", () => {
    const kept = describeConfiguration({
      iceServers: [
        {
          urls: ["turn:192.0.2.1:3478?transport=udp", "turn:u:p@192.0.2.1"],
          username: "alice",
          credential: "s3cret",
        },
        { urls: "stun:192.0.2.1" },
      ],
      iceTransportPolicy: "relay",
    });
    expect(kept).toEqual({
      servers: 2,
      urls: "turn:192.0.2.1:3478?transport=udp turn:192.0.2.1 stun:192.0.2.1",
      policy: "relay",
      bundle: "balanced",
    });
    expect(JSON.stringify(kept)).not.toMatch(/alice|s3cret|u:p/);
    expect(describeConfiguration(undefined)).toEqual({
      servers: 0,
      urls: "",
      policy: "all",
      bundle: "balanced",
    });
  });

  it("counts a description's candidates and data section, and keeps nothing else of its SDP", () => {
    const sdp = [
      "v=0",
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
      "a=candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host",
      "a=candidate:2 1 udp 1677729535 198.51.100.7 50001 typ srflx raddr 0.0.0.0 rport 0",
      "",
    ].join("\r\n");
    expect(describeDescription({ type: "answer", sdp })).toEqual({
      type: "answer",
      candidates: 2,
      data: true,
    });
    expect(describeDescription(null)).toEqual({ type: "", candidates: 0, data: false });
  });

  it("keeps an added candidate's kind, never its address, and marks the end of candidates", () => {
    const added = describeAdded({ candidate: "candidate:1 1 udp 2113937151 192.0.2.1 50000 typ host" });
    expect(added).toEqual({ type: "host", protocol: "udp", family: "ipv4", mdns: false, loopback: false });
    expect(describeAdded({ candidate: "" })).toEqual({ end: true });
    expect(describeAdded(null)).toEqual({ end: true });
  });
});
