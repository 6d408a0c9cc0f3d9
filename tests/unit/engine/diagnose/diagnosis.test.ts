// The diagnosis runner against a fake lab and fake support probes: every step announced in order,
// each skipped with its reason when it cannot run, and the findings and verdict drawn from what ran.
import { describe, expect, it } from "vitest";
import { type Finding, finding } from "../../../../src/contract/findings";
import { LabError } from "../../../../src/engine/core/errors";
import {
  type DiagnosisLoopback,
  type DiagnosisProgress,
  runDiagnosis,
  type SupportProbes,
} from "../../../../src/engine/diagnose/diagnosis";
import { DIAGNOSIS_STEPS } from "../../../../src/engine/diagnose/diagnosis-steps";
import { SUPPORT_CHECK_IDS, type SupportCheck } from "../../../../src/engine/diagnose/support";
import { CONNECTION_PROBES, PROBE_TIMEOUT_MS } from "../../../../src/engine/diagnose/support-probes";
import type { LatencyFigures, ThroughputFigures } from "../../../../src/engine/diagnose/verdict";
import { ECHO_TIMEOUT_MS } from "../../../../src/engine/measure/latency";
import { STALL_MS } from "../../../../src/engine/measure/throughput";
import type { Phase } from "../../../../src/engine/session/connector";
import type { LoopbackSession } from "../../../../src/engine/session/loopback-session";
import { Timeline } from "../../../../src/engine/watch/timeline";
import { latencyResult, throughputResult } from "../../report-fixture";

const API_IDS = SUPPORT_CHECK_IDS.slice(0, 4);
const CONNECTION_IDS = SUPPORT_CHECK_IDS.slice(4);
const yes = (id: SupportCheck["id"]): SupportCheck => ({ id, status: "yes", detail: "worked" });

function probes(overrides: Partial<Record<SupportCheck["id"], SupportCheck>> = {}): SupportProbes {
  return {
    api: () => API_IDS.map((id) => overrides[id] ?? yes(id)),
    connection: async () => CONNECTION_IDS.map((id) => overrides[id] ?? yes(id)),
  };
}

/** A lab whose connect opens (or fails with `connectFinding`) and whose runs return the given figures. */
function fakeLab(
  options: {
    connectFinding?: Finding;
    throughput?: () => Promise<ThroughputFigures>;
    latency?: () => Promise<LatencyFigures>;
  } = {},
) {
  const calls: string[] = [];
  let phase: Phase = "idle";
  let findings: Finding[] = [];
  const timeline = new Timeline(() => 0);
  const lab: DiagnosisLoopback<ThroughputFigures, LatencyFigures> = {
    get phase() {
      return phase;
    },
    get openSession() {
      return phase === "open" ? ({} as LoopbackSession) : null;
    },
    timeline,
    get findings() {
      return findings;
    },
    async connect() {
      calls.push("connect");
      timeline.reset();
      if (options.connectFinding) {
        findings = [options.connectFinding];
        throw new LabError("connect-failed", options.connectFinding.message, options.connectFinding);
      }
      phase = "open";
      findings = [finding("channel-open", "A data channel opened in 40.0 ms.")];
      return { timeToOpenMs: 40, maxMessageSize: 262_144, maxChannels: 65_535 };
    },
    async disconnect() {
      calls.push("disconnect");
      phase = "idle";
    },
    async runThroughput() {
      calls.push("throughput");
      return options.throughput ? options.throughput() : throughputResult();
    },
    async runLatency() {
      calls.push("latency");
      return options.latency ? options.latency() : latencyResult();
    },
    async probeWebPage() {
      calls.push("webpage");
      const probe = {
        api: true,
        candidates: { total: 1, host: 0, mdns: 1, loopback: 0, srflx: 0, relay: 0, prflx: 0 },
        gathering: "complete",
        ice: "connected",
        opened: true,
        elapsedMs: 30,
        error: null,
      };
      return {
        origin: "http://127.0.0.1:8000",
        extension: { ...probe, candidates: { ...probe.candidates, host: 1, mdns: 0 } },
        page: probe,
        pageError: null,
        ipHandling: { unread: "not-granted" },
      };
    },
  };
  return { lab, calls };
}

async function diagnose(lab: DiagnosisLoopback<ThroughputFigures, LatencyFigures>, support = probes()) {
  const progress: DiagnosisProgress[] = [];
  const result = await runDiagnosis(lab, (p) => progress.push(p), {}, support);
  return { result, progress };
}

describe("runDiagnosis", () => {
  it("runs every step in order, each announced as it starts and as it ends, and passes a healthy browser", async () => {
    const { lab, calls } = fakeLab();
    const { result, progress } = await diagnose(lab);
    expect(progress.map((p) => `${p.index}/${p.total} ${p.step} ${p.status}`)).toEqual(
      DIAGNOSIS_STEPS.flatMap((step, i) => [
        `${i + 1}/${DIAGNOSIS_STEPS.length} ${step} running`,
        `${i + 1}/${DIAGNOSIS_STEPS.length} ${step} done`,
      ]),
    );
    expect(calls).toEqual(["connect", "webpage", "throughput", "latency"]);
    expect(result.verdict).toBe("pass");
    expect(result.findings.map((f) => f.code)).toEqual([
      "channel-open",
      "web-page-works",
      "throughput-measured",
      "latency-measured",
    ]);
    expect(result.support.checks).toHaveLength(SUPPORT_CHECK_IDS.length);
  });

  it("a throughput run cut with bytes still on the link leaves the latency run a fresh connection, and a bound that counts it", async () => {
    const cut = async () =>
      throughputResult({ bytes: 0, drainCutMs: 30_000, inFlight: 4, pathBytesPerSecond: 4000 });
    const { lab, calls } = fakeLab({ throughput: cut });
    const { progress } = await diagnose(lab);
    expect(calls).toEqual(["connect", "webpage", "throughput", "disconnect", "connect", "latency"]);
    const running = progress.find((p) => p.step === "latency" && p.status === "running");
    const ended = progress.find((p) => p.step === "latency" && p.status === "done");
    expect(running && "timeoutMs" in running ? running.timeoutMs : null).toBe(ECHO_TIMEOUT_MS + 10_000);
    expect(ended && "detail" in ended ? ended.detail : "").toMatch(
      /on a fresh connection \(the throughput run's queue was still on the link\)$/,
    );
    // A run that drained whole needs none.
    const whole = fakeLab();
    await diagnose(whole.lab);
    expect(whole.calls).toEqual(["connect", "webpage", "throughput", "latency"]);
  });

  it("Stop abandons the step in hand and rejects naming it; no verdict is made up", async () => {
    const stop = new AbortController();
    const { lab } = fakeLab({
      // A throughput run that never ends by itself: only Stop ends the diagnosis.
      throughput: () => new Promise<never>(() => {}),
    });
    const steps: string[] = [];
    const running = runDiagnosis(
      lab,
      (p) => {
        steps.push(`${p.step} ${p.status}`);
        if (p.step === "throughput" && p.status === "running") stop.abort();
      },
      {},
      probes(),
      stop.signal,
    );
    await expect(running).rejects.toMatchObject({
      code: "cancelled",
      message: "The diagnosis was stopped at step 6 of 8 (Throughput); no verdict.",
    });
    expect(steps.at(-1)).toBe("throughput running");
  });

  it("announces each running step with the bound the engine holds it to, from the settings it runs with", async () => {
    const { lab } = fakeLab();
    const progress: DiagnosisProgress[] = [];
    await runDiagnosis(lab, (p) => progress.push(p), { timeoutMs: 4000, throughputMs: 6000 }, probes());
    const bounds = Object.fromEntries(
      progress.flatMap((p) => (p.status === "running" ? [[p.step, p.timeoutMs]] : [])),
    );
    expect(bounds.connect).toBe(4000);
    // The run's cap, then the stall rule's 5 s.
    expect(bounds.throughput).toBe(6000 + STALL_MS);
    expect(bounds.channels).toBe(CONNECTION_PROBES * 3 * PROBE_TIMEOUT_MS);
  });

  it("starts from a fresh session when one is open", async () => {
    const { lab, calls } = fakeLab();
    await lab.connect();
    await diagnose(lab);
    expect(calls.slice(0, 3)).toEqual(["connect", "disconnect", "connect"]);
  });

  it("skips what needs a connection when connecting failed, and fails with the connect finding", async () => {
    const noCandidates = finding("no-candidates", "No ICE candidates were gathered (after 2 s).");
    const { lab, calls } = fakeLab({ connectFinding: noCandidates });
    const { result, progress } = await diagnose(lab);
    const ends = progress.filter((p) => p.status !== "running");
    expect(ends.map((p) => `${p.step} ${p.status}`)).toEqual([
      "support done",
      "connect failed",
      "channels skipped",
      "candidates done",
      "webpage done",
      "throughput skipped",
      "latency skipped",
      "verdict done",
    ]);
    expect(calls).toEqual(["connect", "webpage"]);
    expect(result.verdict).toBe("fail");
    expect(result.findings[0]).toEqual(noCandidates);
    expect(result.support.checks.filter((c) => c.status === "not-checked").map((c) => c.id)).toEqual(
      CONNECTION_IDS,
    );
    expect(result.headline).toContain("No ICE candidates");
  });

  it("a browser told to allow loopback that still gathers nothing gets a hint about that, not 'browsers do not use loopback'", async () => {
    const none = finding(
      "no-interface-up",
      "No ICE candidates were gathered (after 2 s), not even a host address.",
    );
    const hintWith = async (loopbackAllowed: boolean) => {
      const { lab } = fakeLab({ connectFinding: none });
      const result = await runDiagnosis(lab, () => undefined, { loopbackAllowed }, probes());
      return result.findings.find((f) => f.code === "no-interface-up")?.hint;
    };
    expect(await hintWith(false)).toBe(none.hint);
    expect(await hintWith(true)).toMatch(/^The browser was started with loopback candidates allowed/);
  });

  it("does not try to connect without RTCPeerConnection", async () => {
    const { lab, calls } = fakeLab();
    const missing: SupportCheck = { id: "rtc-peer-connection", status: "no", detail: "missing" };
    const { result, progress } = await diagnose(lab, probes({ "rtc-peer-connection": missing }));
    expect(calls).toEqual([]);
    expect(progress.find((p) => p.step === "connect" && p.status !== "running")).toMatchObject({
      status: "skipped",
    });
    expect(result.findings.map((f) => f.code)).toContain("no-rtcpeerconnection");
    expect(result.verdict).toBe("fail");
  });

  it("turns a run that throws into a failure of its own, in the error's words, and goes on", async () => {
    const { lab, calls } = fakeLab({ throughput: () => Promise.reject(new Error("send queue jammed")) });
    const { result } = await diagnose(lab);
    expect(calls).toEqual(["connect", "webpage", "throughput", "latency"]);
    const failed = result.findings.find((f) => f.code === "throughput-failed");
    expect(failed?.message).toBe("The throughput run did not complete: send queue jammed");
    expect(result.verdict).toBe("fail");
  });

  it("warns, not fails, for a missing feature that only some applications need", async () => {
    const { lab } = fakeLab();
    const unordered: SupportCheck = { id: "unordered-channel", status: "no", detail: "3 of 8 arrived" };
    const { result } = await diagnose(lab, probes({ "unordered-channel": unordered }));
    expect(result.verdict).toBe("warn");
    expect(result.findings.find((f) => f.code === "unordered-channel-failed")?.message).toContain("3 of 8");
  });
});
