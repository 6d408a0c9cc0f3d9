// The Lab's state model where no browser is needed: Node has no RTCPeerConnection, which is exactly
// the "browser without WebRTC" case.
import { describe, expect, it } from "vitest";
import { LabError } from "../../../src/engine/core/errors";
import { Lab } from "../../../src/engine/lab";

describe("Lab without WebRTC", () => {
  it("fails connect with the no-rtcpeerconnection finding and stays idle", async () => {
    const lab = new Lab();
    const phases: string[] = [];
    lab.session.events.on("phase", (phase) => phases.push(phase));
    const error = await lab.session.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).finding?.code).toBe("no-rtcpeerconnection");
    expect(lab.session.phase).toBe("idle");
    expect(lab.session.watched.findings.map((f) => f.code)).toEqual(["no-rtcpeerconnection"]);
    expect(lab.session.watched.timeline.list().at(-1)).toMatchObject({
      source: "session",
      property: "finding",
      value: "no-rtcpeerconnection",
    });
    expect(phases).toEqual([]);
  });

  it("refuses to send when nothing is open, with a clear code", async () => {
    const lab = new Lab();
    await expect(lab.session.send("hello")).rejects.toMatchObject({ code: "not-open" });
  });

  it("rejects a nonsensical timeout before doing anything", async () => {
    const lab = new Lab();
    await expect(lab.session.connect({ timeoutMs: -1 })).rejects.toMatchObject({ code: "invalid-option" });
    await expect(lab.session.connect({ timeoutMs: Number.NaN })).rejects.toMatchObject({
      code: "invalid-option",
    });
  });

  it("disconnect with nothing open is harmless", async () => {
    const lab = new Lab();
    await expect(lab.session.disconnect()).resolves.toBeUndefined();
    expect(lab.session.phase).toBe("idle");
  });
});
