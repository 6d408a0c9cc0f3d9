// ICE-server checks in Firefox against a real TURN server (coturn) on the test network, with the
// Loopback panel in Firefox's own toolbox (src/cli/firefox-toolbox.ts says how).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IceCheckResult } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { useFirefoxToolbox } from "./firefox-panel";
import {
  CLOSED_PORT,
  startTurnServer,
  TURN_HOST,
  TURN_PORT,
  TURN_SECRET,
  TURN_USER,
  TURNS_PORT,
  type TurnServer,
  turnUnavailableReason,
} from "./turn-server";

const reason = turnUnavailableReason();

describe.skipIf(reason)("ICE-server checks against coturn in Firefox", () => {
  let turn: TurnServer;
  beforeAll(async () => {
    turn = await startTurnServer();
  }, 60_000);
  afterAll(() => turn?.stop());
  const open = useFirefoxToolbox({}, 60_000);

  const check = (iceServers: RTCIceServer[]): Promise<IceCheckResult> =>
    lab(open.panel).call("runIceCheck", { iceServers });

  it("relays over UDP and TCP with data intact; 401 for wrong credentials; 701 for a closed port", async () => {
    const result = await check([
      { urls: `turn:${TURN_HOST}:${TURN_PORT}`, username: TURN_USER, credential: TURN_SECRET },
      {
        urls: `turn:${TURN_HOST}:${TURN_PORT}?transport=udp`,
        username: TURN_USER,
        credential: "not-the-password",
      },
      {
        urls: `turn:${TURN_HOST}:${CLOSED_PORT}?transport=tcp`,
        username: TURN_USER,
        credential: TURN_SECRET,
      },
    ]);
    const [udp, tcp, wrong, closed] = result.results;
    for (const r of [udp, tcp]) {
      expect(r?.candidateTypes, r?.transport).toContain("relay");
      expect(r?.relayConnected, r?.transport).toBe(true);
      expect(
        r?.findings.map((f) => f.code),
        r?.transport,
      ).toEqual(["relay-connected"]);
      expect(r?.throughput?.bytes, r?.transport).toBeGreaterThan(0);
      expect(r?.throughput?.lost ?? -1).toBe(0);
      expect(r?.throughput?.corrupted ?? -1).toBe(0);
      expect(r?.latency?.samples).toBe(30);
    }
    expect(wrong?.errors.map((e) => e.errorCode)).toContain(401);
    expect(wrong?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["fail turn-unauthorized"]);
    expect(closed?.errors.map((e) => e.errorCode)).toEqual([701]);
    expect(closed?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["fail turn-unreachable"]);
    expect(JSON.stringify(await lab(open.panel).call("report"))).not.toContain(TURN_SECRET);
  }, 120_000);

  it("TLS with the test's self-signed certificate gives no relay in Firefox, and the finding says a certificate can be why", async () => {
    const [tls] = (
      await check([
        { urls: `turns:${TURN_HOST}:${TURNS_PORT}`, username: TURN_USER, credential: TURN_SECRET },
      ])
    ).results;
    expect(tls?.transport).toBe("tls");
    expect(tls?.relayConnected).toBe(false);
    expect(tls?.findings[0]?.code).toBe("turn-unreachable");
    expect(tls?.findings[0]?.hint).toMatch(/certificate/);
  }, 60_000);

  it("a STUN server gives Firefox a reflexive candidate: its host addresses are hidden behind mDNS names, so the reflexive one is new", async () => {
    const [stun] = (await check([{ urls: `stun:${TURN_HOST}:${TURN_PORT}` }])).results;
    expect(stun?.candidateTypes).toContain("srflx");
    expect(stun?.findings.map((f) => `${f.level} ${f.code}`)).toEqual(["pass reflexive-candidate"]);
  }, 60_000);
});
