// The diagnosis's steps as data: their order, their names, and the most each takes, computed from
// the bounds the engine itself enforces, so the panel and the command line announce the bound that
// holds, and a bound changed in the engine changes what they say.
import { LOOPBACK_PROBE_TIMEOUT_MS } from "../../page-probe/probe";
import { ECHO_TIMEOUT_MS } from "../measure/latency";
import { DRAIN_MAX_MS, STALL_MS } from "../measure/throughput";
import { PAGE_PROBE_TIMEOUT_MS } from "../page/web-page-probe";
import { CONNECTION_PROBES, PROBE_TIMEOUT_MS } from "./support-probes";

export const DIAGNOSIS_STEPS = [
  "support",
  "connect",
  "channels",
  "candidates",
  "webpage",
  "throughput",
  "latency",
  "verdict",
] as const;
export type DiagnosisStep = (typeof DIAGNOSIS_STEPS)[number];

/** What a step's bound depends on: the diagnosis's own settings, and what earlier steps left. */
interface StepSettings {
  timeoutMs: number;
  throughputMs: number;
  /** The throughput run left bytes on the link: the latency run opens a fresh connection first. */
  freshConnection?: boolean;
}

/** For a bound that holds only on a good path and grows with a slow one: what to say on each side of it. */
export interface Scaling {
  /** Where the bound holds ("on a fast link"). */
  within: string;
  /** Why a wait went past it. */
  past: string;
}

export interface DiagnosisStepSpec {
  name: string;
  /** The most the step takes (on a good path, where `scaling` is set). */
  timeoutMs(settings: StepSettings): number;
  scaling?: Scaling;
}

/** Steps that only compute from what earlier steps found. */
const COMPUTE_TIMEOUT_MS = 1000;

export const DIAGNOSIS_STEP_SPECS: { readonly [S in DiagnosisStep]: DiagnosisStepSpec } = {
  support: { name: "WebRTC API: present, native, data channels", timeoutMs: () => COMPUTE_TIMEOUT_MS },
  connect: { name: "Loopback session", timeoutMs: (s) => s.timeoutMs },
  channels: {
    name: "Channel features: SCTP, bufferedamountlow, negotiated, unordered, partially reliable, statistics",
    // Each probe gets its bound, and one second try at twice the bound when the first ran out.
    timeoutMs: () => CONNECTION_PROBES * 3 * PROBE_TIMEOUT_MS,
    scaling: { within: "on a short round trip", past: "the probes' bounds grow with the round trip" },
  },
  candidates: { name: "ICE candidates gathered", timeoutMs: () => COMPUTE_TIMEOUT_MS },
  webpage: {
    name: "Web pages: the same probe in the inspected page",
    // The page's probe, twice when its mDNS names did not resolve, then the same probe here.
    timeoutMs: () => 2 * PAGE_PROBE_TIMEOUT_MS + LOOPBACK_PROBE_TIMEOUT_MS,
  },
  throughput: {
    name: "Throughput",
    // The run's cap, then the stall rule's wait before a run with no sign of life counts as lost.
    timeoutMs: (s) => s.throughputMs + STALL_MS,
    scaling: {
      within: "on a fast link",
      past: `a slow link is still carrying what was sent, and the run waits while bytes keep moving, at most ${DRAIN_MAX_MS / 1000} s after sending ends`,
    },
  },
  latency: {
    name: "Latency",
    // 200 round trips in a row: on a 400 ms path that is 80 s, every one within its own bound; after
    // a fresh connection, when the throughput run's queue was still on the link.
    timeoutMs: (s) => ECHO_TIMEOUT_MS + (s.freshConnection ? s.timeoutMs : 0),
    scaling: {
      within: "on a short round trip",
      past: `the round trips are timed one after another, each waiting at most ${ECHO_TIMEOUT_MS / 1000} s for its echo`,
    },
  },
  verdict: { name: "Verdict", timeoutMs: () => COMPUTE_TIMEOUT_MS },
};

export const DIAGNOSIS_STEP_NAMES: { readonly [S in DiagnosisStep]: string } = Object.fromEntries(
  DIAGNOSIS_STEPS.map((step) => [step, DIAGNOSIS_STEP_SPECS[step].name]),
) as { [S in DiagnosisStep]: string };

/**
 * The throughput run ended with bytes still on the link (a slow link, its drain cut): the latency
 * run's channel would wait behind them (Chrome: it did not open in 10 s at 32 kbit/s; Firefox: ICE's
 * consent checks were lost behind them and the connection failed), so it gets a connection of its own.
 */
export function needsFreshConnection(throughput: { inFlight?: number; drainCutMs?: number } | null): boolean {
  return (throughput?.inFlight ?? 0) > 0 && throughput?.drainCutMs !== undefined;
}
