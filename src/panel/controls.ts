// Which controls are usable in each phase: the sample's state model, kept pure so it is unit-tested.
import type { Phase } from "../engine/session/connector";

export interface ControlStates {
  connect: boolean;
  disconnect: boolean;
  timeout: boolean;
  message: boolean;
  send: boolean;
}

export function controlsFor(phase: Phase): ControlStates {
  return {
    connect: phase === "idle",
    // Disconnect works at any moment of a session, during ICE included.
    disconnect: phase !== "idle",
    timeout: phase === "idle",
    message: phase === "open",
    send: phase === "open",
  };
}
