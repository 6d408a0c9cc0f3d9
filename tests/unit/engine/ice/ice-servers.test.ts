// ICE-server input: what is accepted, what is refused with which words, and how URLs expand per transport.
import { describe, expect, it } from "vitest";
import { iceTargets, MAX_ICE_TARGETS, parseIceServers } from "../../../../src/engine/ice/ice-servers";
import { shownUrl } from "../../../../src/engine/ice/shown-url";

const TURN = { urls: "turn:turn.example.org:3478", username: "u", credential: "p" };

describe("parseIceServers", () => {
  it("takes RTCIceServer[] as objects or JSON, and one server on its own", () => {
    expect(parseIceServers([TURN])).toEqual([
      { urls: ["turn:turn.example.org:3478"], username: "u", credential: "p" },
    ]);
    expect(parseIceServers(JSON.stringify([TURN]))).toEqual(parseIceServers([TURN]));
    expect(parseIceServers({ urls: "stun:stun.example.org" })).toEqual([{ urls: ["stun:stun.example.org"] }]);
  });

  it.each([
    ["not json", /not valid JSON/],
    [[], /No ICE servers were given/],
    [[42], /ICE server 1 is not an object/],
    [[{ url: "stun:x" }], /needs "urls"/],
    [
      [{ urls: "http://x" }],
      /^ICE server 1: http: \(the rest does not parse; not shown\) is not a STUN or TURN URL/,
    ],
    [[{ urls: "turn:x" }], /turn:x needs a username and a credential/],
    [[{ urls: "stuns:x" }], /do not support stuns:/],
    [[{ urls: "stun:x?transport=tcp" }], /takes no \?transport=/],
    [[{ urls: "turns:x?transport=udp", username: "u", credential: "p" }], /TLS on TCP/],
    [[{ urls: "stun:x:70000" }], /between 1 and 65535/],
    [[{ urls: "turn:x", username: 5, credential: "p" }], /"username" must be text/],
  ])("refuses %j with a message that says what to fix", (input, message) => {
    expect(() => parseIceServers(input)).toThrow(message);
  });

  it("never quotes the text of JSON it cannot parse (it may hold a credential)", () => {
    const text = '[{"urls":"turn:x","username":"u","credential":hunter2}]';
    expect(() => parseIceServers(text)).toThrow(/^The ICE servers are not valid JSON/);
    expect(() => parseIceServers(text)).not.toThrow(/hunter2/);
  });

  it("never repeats a user:password@ part of a URL in its messages", () => {
    expect(() => parseIceServers([{ urls: "turn:alice:hunter2@x" }])).toThrow(
      /turn:x has a user name or password before the host \(user@host\), which browsers refuse/,
    );
    try {
      parseIceServers([{ urls: "turn:alice:hunter2@x" }]);
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("iceTargets", () => {
  it("expands a turn: URL without transport into UDP and TCP, turns: into TLS, stun: into UDP", () => {
    const targets = iceTargets(
      parseIceServers([
        { urls: ["turn:t.example:3478", "turns:t.example:5349"], username: "u", credential: "p" },
        { urls: "turn:t.example?transport=tcp", username: "u", credential: "p" },
        { urls: "stun:s.example" },
      ]),
    );
    expect(targets.map((t) => `${t.url} ${t.transport} ${String(t.server.urls)}`)).toEqual([
      "turn:t.example:3478 udp turn:t.example:3478?transport=udp",
      "turn:t.example:3478 tcp turn:t.example:3478?transport=tcp",
      "turns:t.example:5349 tls turns:t.example:5349?transport=tcp",
      "turn:t.example?transport=tcp tcp turn:t.example?transport=tcp",
      "stun:s.example udp stun:s.example",
    ]);
    expect(targets[0]?.server).toMatchObject({ username: "u", credential: "p" });
    expect(targets[4]?.server).toEqual({ urls: "stun:s.example" });
  });

  it(`refuses more than ${MAX_ICE_TARGETS} targets`, () => {
    const urls = Array.from({ length: 7 }, (_, i) => `turn:t${i}.example`);
    expect(() => iceTargets(parseIceServers([{ urls, username: "u", credential: "p" }]))).toThrow(
      /14 checks/,
    );
  });

  it("keeps IPv6 literals, and refuses user info before the host as both browsers do", () => {
    expect(iceTargets(parseIceServers([{ urls: "stun:[2001:db8::1]:3478" }]))[0]?.url).toBe(
      "stun:[2001:db8::1]:3478",
    );
    for (const urls of ["turn:alice:pw@t.example:3478", "turn:bob:pass@word@t.example"])
      expect(() => parseIceServers([{ urls, username: "u", credential: "p" }])).toThrow(
        /^ICE server 1: turn:t\.example(:3478)? has a user name or password before the host/,
      );
  });
});

describe("ICE input errors never quote a secret", () => {
  const refusal = (urls: string) => {
    try {
      parseIceServers([{ urls, username: "u", credential: "p" }]);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("shows scheme, host, port and transport only, and no URL that does not read cleanly", () => {
    expect(shownUrl("turn:alice:s3cret@turn.example.org:3478?transport=tcp")).toBe(
      "turn:turn.example.org:3478?transport=tcp",
    );
    expect(shownUrl("turn:host.example?transport=udp&credential=s3cret")).toBe(
      "turn:host.example?transport=udp",
    );
    expect(shownUrl("turn:user:pa?ss@host.example")).toBe("turn: (the rest does not parse; not shown)");
    expect(shownUrl("turn:u@ser:p@ss@host.example:3478")).toBe("turn:host.example:3478");
    expect(shownUrl("no url here")).toBe("(a URL that does not parse; not shown)");
  });

  it("keeps passwords out of every refusal, whatever they hold", () => {
    for (const urls of [
      "turn:host.example?transport=ud&credential=s3cret",
      "turn:user:s3c?ret@host.example",
      "turn:user:s3cret@host.example:99999",
      "stuns:user:s3cret@host.example",
      "turns:user:s3c@ret@host.example?transport=udp",
      "http://user:s3cret@host.example",
    ]) {
      const message = refusal(urls);
      expect(message).not.toBe("");
      expect(message).not.toMatch(/s3c/);
    }
  });
});
