// ICE-server checks in the real Chrome DevTools panel against a real TURN server (coturn) on the
// test network: relay over UDP, TCP and TLS, wrong credentials, a closed port, a STUN-only server,
// and the secret nowhere in what the panel writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IceCheckResult, LabWindow } from "../../src/contract/automation";
import { type OpenPanel, openPanel } from "./chrome-panel";
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

describe.skipIf(reason)("ICE-server checks against coturn in the Chrome DevTools panel", () => {
  let turn: TurnServer;
  let open: OpenPanel;

  beforeAll(async () => {
    turn = await startTurnServer();
    open = await openPanel();
  });
  afterAll(async () => {
    await open?.close();
    turn?.stop();
  });

  const check = (iceServers: unknown): Promise<IceCheckResult> =>
    open.panel.evaluate(
      (servers) => (window as LabWindow).loopbackLab.runIceCheck({ iceServers: servers }),
      iceServers,
    );

  it("explores", async () => {
    const result = await check([
      {
        urls: [`turn:${TURN_HOST}:${TURN_PORT}`, `turns:${TURN_HOST}:${TURNS_PORT}`],
        username: TURN_USER,
        credential: TURN_SECRET,
      },
      { urls: `turn:${TURN_HOST}:${TURN_PORT}?transport=udp`, username: TURN_USER, credential: "wrong" },
      {
        urls: [
          `turn:${TURN_HOST}:${CLOSED_PORT}?transport=tcp`,
          `turn:${TURN_HOST}:${CLOSED_PORT}?transport=udp`,
        ],
        username: TURN_USER,
        credential: "x",
      },
      { urls: `stun:${TURN_HOST}:${TURN_PORT}` },
    ]);
    console.log(JSON.stringify(result, null, 1));
    console.log(turn.log().slice(-3000));
  }, 180_000);
});
