// Which of the sample's controls are usable in each phase.
import { describe, expect, it } from "vitest";
import { controlsFor } from "../../../src/panel/controls";

describe("controlsFor", () => {
  it("follows the sample's state model", () => {
    expect(controlsFor("idle")).toEqual({
      connect: true,
      disconnect: false,
      timeout: true,
      message: false,
      send: false,
    });
    expect(controlsFor("connecting")).toEqual({
      connect: false,
      disconnect: true,
      timeout: false,
      message: false,
      send: false,
    });
    expect(controlsFor("open")).toEqual({
      connect: false,
      disconnect: true,
      timeout: false,
      message: true,
      send: true,
    });
  });
});
