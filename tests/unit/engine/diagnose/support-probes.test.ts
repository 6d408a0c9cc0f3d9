import { describe, expect, it, vi } from "vitest";
import {
  arrivals,
  closeOnAbort,
  PROBE_ROUND_TRIPS,
  PROBE_TIMEOUT_MS,
  type ProbeOutcome,
  probeTimeoutFor,
  probeWithin,
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

describe("arrivals", () => {
  it("counts a reliable channel that delivered some messages as working, and says the rest were late", () => {
    expect(arrivals(8, 2500)).toEqual({ ok: true, detail: "8 of 8 messages arrived" });
    // Firefox with one UDP packet in ten dropped: 6 of 8 within 2.5 s, the rest still being resent.
    expect(arrivals(6, 2500)).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^6 of 8 messages arrived within 2500 ms; the rest were late/),
    });
    expect(arrivals(0, 2500)).toEqual({ ok: false, why: "no message arrived within 2500 ms" });
  });
});

describe("probeWithin", () => {
  const never = () => new Promise<ProbeOutcome>(() => {});
  const after = (ms: number, outcome: ProbeOutcome) =>
    new Promise<ProbeOutcome>((resolve) => setTimeout(() => resolve(outcome), ms));

  it("gives a probe that ran out of time a second try with twice the bound, and says so", async () => {
    // Answers in 30 ms: too slow for a 20 ms bound, in time for 40 ms.
    const bounds: number[] = [];
    const result = await probeWithin(20, "unordered-channel", (timeoutMs) => {
      bounds.push(timeoutMs);
      return after(30, { ok: true, detail: "8 of 8 messages arrived" });
    });
    expect(bounds).toEqual([20, 40]);
    expect(result).toEqual({
      id: "unordered-channel",
      status: "yes",
      detail: "8 of 8 messages arrived (a first try had no answer within 20 ms)",
    });
  });

  it("calls a feature that never answers not working, naming both bounds", async () => {
    expect(await probeWithin(10, "negotiated-channel", never)).toEqual({
      id: "negotiated-channel",
      status: "no",
      detail: "no answer within 10 ms, nor within 20 ms on a second try",
    });
  });

  it("does not retry a probe that answered that the feature does not work", async () => {
    let tries = 0;
    const result = await probeWithin(50, "partial-reliability", async () => {
      tries++;
      return { ok: false, why: "maxRetransmits 0 was asked for; the ends report 65535 and 65535" } as const;
    });
    expect(tries).toBe(1);
    expect(result.status).toBe("no");
  });

  it("closes what an abandoned try opened, and what it opens after being abandoned", async () => {
    // Stand-ins with only close(): this tests probeWithin's bookkeeping, not WebRTC.
    const channel = () => ({ close: vi.fn() }) as unknown as RTCDataChannel;
    const tries: { early: RTCDataChannel[]; late: RTCDataChannel[]; lateCloseThrew?: boolean }[] = [];
    const result = await probeWithin(10, "buffered-amount-low", async (timeoutMs, abandoned) => {
      const record = { early: [channel(), channel()], late: [channel()] } as (typeof tries)[number];
      tries.push(record);
      closeOnAbort(abandoned, record.early);
      // Outlives its bound, then opens one more channel, as a probe waiting on openExtraChannel would.
      await new Promise((resolve) => setTimeout(resolve, timeoutMs + 15));
      try {
        closeOnAbort(abandoned, record.late);
      } catch {
        record.lateCloseThrew = true;
      }
      return { ok: true, detail: "too late" } as const;
    });
    expect(result.status).toBe("no");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(tries).toHaveLength(2);
    for (const attempt of tries) {
      for (const c of [...attempt.early, ...attempt.late]) expect(c.close).toHaveBeenCalledTimes(1);
      expect(attempt.lateCloseThrew).toBe(true);
    }
  });

  it("leaves a try that answered in time to close its own channels", async () => {
    const kept = { close: vi.fn() } as unknown as RTCDataChannel;
    const result = await probeWithin(50, "unordered-channel", async (_, abandoned) => {
      closeOnAbort(abandoned, [kept]);
      return { ok: true, detail: "8 of 8 messages arrived" } as const;
    });
    expect(result.status).toBe("yes");
    expect(kept.close).not.toHaveBeenCalled();
  });
});
