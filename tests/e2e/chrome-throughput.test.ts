// The throughput and latency lab in the real Chrome DevTools panel, through the automation API and
// through the controls (found by role and name). Counts are checked against an independent tally of
// what was handed to RTCDataChannel.prototype.send in the panel frame. No timing is asserted here:
// speed is measured by `npm run bench` only.
import { beforeAll, describe, expect, it } from "vitest";
import type { LatencyResult, ThroughputOptions, ThroughputResult } from "../../src/contract/automation";
import { lab } from "../../src/contract/lab-client";
import { bytes, rate } from "../../src/format/units";
import { byRole, isDisabled, showTab } from "./by-role";
import { useChromePanel } from "./chrome-panel";

const open = useChromePanel();

interface Tally {
  messages: number;
  bytes: number;
  channels: number;
  openChannels: number;
}

declare global {
  interface Window {
    __tally?: { messages: number; bytes: number; channels: Set<RTCDataChannel> };
  }
}

beforeAll(async () => {
  // Count every successful send() on the throughput test's channels, independently of the engine.
  await open.panel.evaluate(() => {
    const original = RTCDataChannel.prototype.send;
    const encoder = new TextEncoder();
    const tally = { messages: 0, bytes: 0, channels: new Set<RTCDataChannel>() };
    window.__tally = tally;
    RTCDataChannel.prototype.send = function (
      this: RTCDataChannel,
      data: string | ArrayBuffer | ArrayBufferView | Blob,
    ) {
      (original as (d: typeof data) => void).call(this, data);
      if (!this.label.startsWith("throughput-")) return;
      tally.channels.add(this);
      tally.messages++;
      tally.bytes +=
        typeof data === "string"
          ? encoder.encode(data).byteLength
          : data instanceof Blob
            ? data.size
            : data.byteLength;
    };
  });
});

const resetTally = () =>
  open.panel.evaluate(() => {
    const t = window.__tally;
    if (!t) throw new Error("no tally");
    t.messages = 0;
    t.bytes = 0;
    t.channels.clear();
  });
const tally = (): Promise<Tally> =>
  open.panel.evaluate(() => {
    const t = window.__tally;
    if (!t) throw new Error("no tally");
    const channels = [...t.channels];
    return {
      messages: t.messages,
      bytes: t.bytes,
      channels: channels.length,
      openChannels: channels.filter((c) => c.readyState === "open" || c.readyState === "connecting").length,
    };
  });
const runThroughput = (options: ThroughputOptions): Promise<ThroughputResult> =>
  lab(open.panel).call("runThroughput", options);
const refusal = async (options: unknown): Promise<{ code?: string; message: string }> => {
  const run = await lab(open.panel).callCatching("runThroughput", options as ThroughputOptions);
  return run.ok ? { message: "resolved" } : { code: run.error.code, message: run.error.message };
};

function expectIntact(r: ThroughputResult, sent: Tally): void {
  expect(r.cancelled).toBe(false);
  expect(r.cancelReason).toBeNull();
  expect({
    lost: r.lost,
    outOfOrder: r.outOfOrder,
    corrupted: r.corrupted,
    duplicated: r.duplicated,
  }).toEqual({
    lost: 0,
    outOfOrder: 0,
    corrupted: 0,
    duplicated: 0,
  });
  expect(r.bytesSent).toBe(sent.bytes);
  expect(r.messagesSent).toBe(sent.messages);
  expect(r.bytes).toBe(sent.bytes);
  expect(r.messages).toBe(sent.messages);
}

function expectConsistentRates(r: ThroughputResult): void {
  expect(r.durationMs).toBeGreaterThan(0);
  // Rates come rounded to the byte per second (other rates to a thousandth), durations to the µs.
  expect(Math.abs(r.bytesPerSecond - (r.bytes * 1000) / r.durationMs)).toBeLessThanOrEqual(1);
  expect(r.messagesPerSecond).toBeCloseTo((r.messages * 1000) / r.durationMs, 2);
  expect(r.intervals.length).toBeGreaterThan(0);
  expect(r.intervals.reduce((sum, i) => sum + i.bytes, 0)).toBe(r.bytes);
  expect(r.intervals.at(-1)?.t).toBeCloseTo(r.durationMs, 3);
  expect(r.peakBytesPerSecond).toBeLessThanOrEqual(Math.max(...r.intervals.map((i) => i.bytesPerSecond)));
}

describe("throughput run through the automation API", () => {
  it("connects an idle lab first, then delivers everything intact on a reliable ordered channel", async () => {
    expect((await lab(open.panel).call("report")).throughput).toBeNull();
    await resetTally();
    const r = await runThroughput({ messageSize: 16_384, durationMs: 1500 });
    const sent = await tally();
    expect(sent.messages).toBeGreaterThan(0);
    expectIntact(r, sent);
    expectConsistentRates(r);
    expect(r.settings).toMatchObject({ messageSize: 16_384, durationMs: 1500, ordered: true, binary: true });
    expect(sent.openChannels).toBe(0);
    const report = (await lab(open.panel).call("report")).throughput;
    expect(report?.bytes).toBe(r.bytes);
  });

  it("defaults to 64 KiB messages, lowered to the connection's maximum", async () => {
    const r = await runThroughput({ durationMs: 300 });
    expect(r.settings.messageSize).toBe(Math.min(65_536, r.settings.maxMessageSize));
    expect(r.settings.durationMs).toBe(300);
  });

  it("sends text and a total amount, rounded up to whole messages", async () => {
    await resetTally();
    const r = await runThroughput({ binary: false, totalBytes: 300_500, messageSize: 1000 });
    const sent = await tally();
    expect(r.messagesSent).toBe(301);
    expectIntact(r, sent);
    expect(r.bytes).toBe(301_000);
  });

  it("accounts for every message on an unordered channel without retransmissions", async () => {
    await resetTally();
    const r = await runThroughput({ ordered: false, maxRetransmits: 0, messageSize: 4096, durationMs: 1000 });
    const sent = await tally();
    expect(r.cancelled).toBe(false);
    expect(r.bytesSent).toBe(sent.bytes);
    expect(r.messagesSent).toBe(sent.messages);
    expect(r.messages + r.lost + r.corrupted).toBe(r.messagesSent);
    expect(r.settings).toMatchObject({ ordered: false, maxRetransmits: 0, maxPacketLifeTime: null });
  });

  it("refuses bad options with a clear message and sends nothing", async () => {
    await resetTally();
    expect(await refusal({ messageSize: 0 })).toMatchObject({
      code: "invalid-option",
      message: expect.stringContaining("messageSize"),
    });
    expect(await refusal({ maxRetransmits: 1, maxPacketLifeTime: 10 })).toMatchObject({
      code: "invalid-option",
    });
    expect(await refusal({ messageSize: 64 * 1024 * 1024 })).toMatchObject({
      code: "invalid-option",
      message: expect.stringContaining("bytes per message"),
    });
    expect(await refusal({ durationMs: 1000, totalBytes: 1000 })).toMatchObject({ code: "invalid-option" });
    expect((await tally()).messages).toBe(0);
  });

  it("refuses a second test while one runs", async () => {
    const second = await lab(open.panel).evaluate(async (lab) => {
      const first = lab.runThroughput({ durationMs: 60_000 });
      const other = await lab.runLatency({ samples: 5 }).then(
        () => "resolved",
        (e: { code?: string }) => e.code,
      );
      const again = await lab.runThroughput({ durationMs: 100 }).then(
        () => "resolved",
        (e: { code?: string }) => e.code,
      );
      await lab.stopRun();
      return { other, again, first: (await first).cancelled };
    });
    expect(second).toEqual({ other: "busy", again: "busy", first: true });
  });

  it("Stop mid-run resolves promptly with a partial result marked cancelled and leaves nothing open", async () => {
    await resetTally();
    const started = lab(open.panel).call("runThroughput", { durationMs: 60_000 });
    await open.panel.waitForFunction(
      () => (window.__tally?.messages ?? 0) > 0 && document.getElementById("tp-live")?.textContent !== "",
    );
    await lab(open.panel).call("stopRun");
    const r = await started;
    const sent = await tally();
    expect(r.cancelled).toBe(true);
    expect(r.cancelReason).toBe("stopped");
    expect(r.bytesSent).toBe(sent.bytes);
    expect(r.messagesSent).toBe(sent.messages);
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.messages + r.lost + r.corrupted + r.inFlight).toBe(r.messagesSent);
    expect({ lost: r.lost, outOfOrder: r.outOfOrder, corrupted: r.corrupted }).toEqual({
      lost: 0,
      outOfOrder: 0,
      corrupted: 0,
    });
    expect(sent.openChannels).toBe(0);
    // The lab is free again at once.
    const next = await runThroughput({ durationMs: 200 });
    expect(next.cancelled).toBe(false);
  });

  it("Disconnect mid-run ends it the same way", async () => {
    await resetTally();
    const started = lab(open.panel).call("runThroughput", { durationMs: 60_000, messageSize: 1024 });
    await open.panel.waitForFunction(
      () => (window.__tally?.messages ?? 0) > 0 && document.getElementById("tp-live")?.textContent !== "",
    );
    await lab(open.panel).call("disconnect");
    const r = await started;
    const sent = await tally();
    expect(r.cancelled).toBe(true);
    expect(r.cancelReason).toBe("the session ended");
    expect(r.bytesSent).toBe(sent.bytes);
    expect(r.bytes).toBeLessThanOrEqual(r.bytesSent);
    expect(sent.openChannels).toBe(0);
    expect(await isDisabled(open.panel, "button", "Connect")).toBe(false);
  });
});

describe("latency run through the automation API", () => {
  it("measures the requested round trips with ordered percentiles and states the timer resolution", async () => {
    const r: LatencyResult = await lab(open.panel).call("runLatency", { samples: 50 });
    expect(r.cancelled).toBe(false);
    expect(r.samples).toBe(50);
    expect(r.resolutionMs).toBeGreaterThan(0);
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p95Ms);
    expect(r.p95Ms).toBeLessThanOrEqual(r.p99Ms);
    expect(r.p99Ms).toBeLessThanOrEqual(r.maxMs);
    expect((await lab(open.panel).call("report")).latency?.p50Ms).toBe(r.p50Ms);
  });

  it("refuses a nonsense sample count", async () => {
    const run = await lab(open.panel).callCatching("runLatency", { samples: -3 });
    const e = run.ok ? run.value : run.error.code;
    expect(e).toBe("invalid-option");
  });
});

describe("throughput and latency through the panel's controls", () => {
  beforeAll(() => showTab(open.panel, "Throughput"));
  const resultText = (label: string) =>
    open.panel.evaluate((l) => document.querySelector(`[aria-label="${l}"]`)?.textContent ?? "", label);
  async function setField(name: string, value: string): Promise<void> {
    const field = await byRole(open.panel, "spinbutton", name);
    await field.evaluate((el) => {
      (el as HTMLInputElement).value = "";
    });
    await field.type(value);
  }

  it("runs a throughput measurement from Run throughput, with the options typed in", async () => {
    await resetTally();
    await setField("Message size in bytes", "8192");
    await setField("Duration in seconds", "1");
    await (await byRole(open.panel, "button", "Run throughput")).click();
    // While it runs, Run is disabled and Stop enabled: read both at once, so a fast run cannot race the check.
    const whileRunning = await open.panel.waitForFunction(() => {
      const run = document.getElementById("tp-run") as HTMLButtonElement;
      const stop = document.getElementById("tp-stop") as HTMLButtonElement;
      return run.disabled ? { stop: !stop.disabled } : false;
    });
    expect(await whileRunning.jsonValue()).toEqual({ stop: true });
    await open.panel.waitForFunction(
      () => !(document.getElementById("tp-run") as HTMLButtonElement).disabled,
      {
        timeout: 30_000,
      },
    );
    const r = (await lab(open.panel).call("report")).throughput;
    if (!r) throw new Error("no throughput result in the report");
    expect(r.settings.messageSize).toBe(8192);
    expect(r.settings.durationMs).toBe(1000);
    expectIntact(r, await tally());
    const text = await resultText("Throughput result");
    expect(text).toContain("Complete");
    expect(text).toContain(rate(r.bytesPerSecond));
    // The words say which rule "steady" means, and the bytes read in the live line's unit too.
    expect(text).toMatch(
      /Sustained.*(two 1 s windows within 10%; 250 ms intervals swing more|never agreed within 10%)/,
    );
    expect(text).toMatch(/(the same over the whole run|over the whole run \()/);
    expect(text).toContain(`Delivered intact${bytes(r.bytes)} (${r.bytes.toLocaleString("en")} bytes)`);
    expect(
      await open.panel.evaluate(() => document.querySelectorAll("#tp-chart canvas").length),
    ).toBeGreaterThan(0);
  });

  it("Stop ends a running test with a cancelled result", async () => {
    await setField("Duration in seconds", "60");
    await (await byRole(open.panel, "button", "Run throughput")).click();
    await open.panel.waitForFunction(() =>
      document.getElementById("tp-live")?.textContent?.includes("delivered"),
    );
    await (await byRole(open.panel, "button", "Stop")).click();
    await open.panel.waitForFunction(
      () => !(document.getElementById("tp-run") as HTMLButtonElement).disabled,
    );
    expect(await resultText("Throughput result")).toContain("Cancelled (stopped)");
    expect((await lab(open.panel).call("report")).throughput?.cancelled).toBe(true);
  });

  it("shows a clear message for a bad option and runs nothing", async () => {
    const before = (await lab(open.panel).call("report")).throughput;
    await setField("Message size in bytes", "0");
    await (await byRole(open.panel, "button", "Run throughput")).click();
    await open.panel.waitForFunction(() =>
      document.getElementById("run-notice")?.textContent?.includes("messageSize"),
    );
    expect((await lab(open.panel).call("report")).throughput).toEqual(before);
    await setField("Message size in bytes", "65536");
  });

  it("does not draw the chart while DevTools shows another panel, and catches up when shown again", async () => {
    const draws = () =>
      open.panel.evaluate(() => Number(document.getElementById("tp-chart")?.dataset.draws ?? 0));
    const switchPanel = async (key: "BracketLeft" | "BracketRight") => {
      await open.devtools.keyboard.down("Control");
      await open.devtools.keyboard.press(key);
      await open.devtools.keyboard.up("Control");
    };
    // DevTools' own panel switch: devtools.ts hears onHidden and tells the panel.
    const hidden = open.panel.evaluate(
      () =>
        new Promise<boolean>((resolve) =>
          addEventListener("loopback-lab:visibility", (e) => resolve((e as CustomEvent).detail.shown), {
            once: true,
          }),
        ),
    );
    await switchPanel("BracketLeft");
    let before: number;
    try {
      expect(await hidden).toBe(false);
      before = await draws();
      const r = await runThroughput({ durationMs: 1000, messageSize: 4096 });
      expect(r.intervals.length).toBeGreaterThan(1);
      expect(await draws()).toBe(before);
    } finally {
      // Back to the Loopback panel, whatever happened, so the tests after this one find it.
      await switchPanel("BracketRight");
    }
    await open.panel.waitForFunction(
      (b) => Number(document.getElementById("tp-chart")?.dataset.draws ?? 0) > b,
      {},
      before,
    );
  });

  it("runs a latency measurement from Run latency", async () => {
    await setField("Latency samples", "30");
    await (await byRole(open.panel, "button", "Run latency")).click();
    await open.panel.waitForFunction(
      () => document.querySelector('[aria-label="Latency result"]')?.textContent?.includes("30 of 30"),
      {
        timeout: 30_000,
      },
    );
    const text = await resultText("Latency result");
    expect(text).toContain("Round trip p50");
    expect(text).toMatch(/Timer resolution[\d.]+ ms/);
  });
});
