import { describe, expect, it } from "vitest";
import {
  PROBE_ROUND_TRIPS,
  PROBE_TIMEOUT_MS,
  probeTimeoutFor,
} from "../../../../src/engine/diagnose/support-probes";

describe("probeTimeoutFor", () => {
  it("keeps the floor on a fast path and grows with the round trip on a slow one", () => {
    expect(probeTimeoutFor(1)).toBe(PROBE_TIMEOUT_MS);
    expect(probeTimeoutFor(0)).toBe(PROBE_TIMEOUT_MS);
    expect(probeTimeoutFor(Number.NaN)).toBe(PROBE_TIMEOUT_MS);
    // 200 ms of round trip (where a fixed 3 s bound gave Firefox a false no-buffered-amount-low).
    expect(probeTimeoutFor(200)).toBe(200 * PROBE_ROUND_TRIPS);
    expect(probeTimeoutFor(200)).toBeGreaterThan(PROBE_TIMEOUT_MS);
  });
});
