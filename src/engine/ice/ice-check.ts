// The ICE-server check: for each server URL and transport, gather through it alone, then (for TURN)
// open the loopback with `iceTransportPolicy: "relay"` through it and measure a short throughput and
// round-trip run, with the loopback's integrity checks. Each target is a watched connection of its
// own, so the timeline view shows any of them like the panel's loopback. One check at a time.

import type { Finding, FindingLevel } from "../../contract/findings";
import { levelOf } from "../../contract/levels";
import { counted } from "../../format/units";
import { errorMessage, LabError } from "../core/errors";
import { type Job, type JobContext, type JobGate, jobOf } from "../core/job";
import { ECHO_TIMEOUT_MS } from "../measure/latency";
import { MeasurementRuns } from "../measure/measurement-runs";
import { STALL_MS } from "../measure/throughput";
import { Connector } from "../session/connector";
import { WatchedConnection } from "../watch/watched-connection";
import { gatherThrough } from "./gather";
import { type IceTarget, iceTargets, parseIceServers } from "./ice-servers";
import {
  crossTargetFindings,
  iceCheckHeadline,
  type RelayLatency,
  type RelayThroughput,
  type TargetOutcome,
  targetFindings,
} from "./ice-verdict";

export interface IceCheckOptions {
  /** `RTCIceServer[]` (or one server), as objects or JSON text. */
  iceServers: unknown;
}

/** One server URL over one transport: what gathering found and what the relay carried. No credentials. */
export interface IceTargetResult extends TargetOutcome {
  /** pass, warn or fail: the cell's colour in the matrix. */
  level: FindingLevel;
  findings: Finding[];
}

export interface IceCheckResult {
  results: IceTargetResult[];
  /** Every target's findings, then the ones drawn across targets (relay-udp-blocked). */
  findings: Finding[];
  level: FindingLevel;
  headline: string;
  startedAt: string;
  durationMs: number;
}

/** What a running check announces: its targets' watched connections first, then each target's result. */
export type IceCheckProgress =
  | { kind: "targets"; connections: WatchedConnection[] }
  | { kind: "target"; result: IceTargetResult };

/** Gathering through one server ends by this deadline: a TURN server over UDP that never answers takes ~40 s otherwise. */
const GATHER_TIMEOUT_MS = 8000;
const RELAY_CONNECT_TIMEOUT_MS = 10_000;
const RELAY_THROUGHPUT_MS = 1500;
const RELAY_LATENCY_SAMPLES = 30;
/**
 * The most one target takes on a working relay: gathering, the relay's connect, the throughput run
 * and its stall bound, and the latency run's bound for an echo that never comes.
 */
export const TARGET_TIMEOUT_MS =
  GATHER_TIMEOUT_MS + RELAY_CONNECT_TIMEOUT_MS + RELAY_THROUGHPUT_MS + STALL_MS + ECHO_TIMEOUT_MS;

export class IceChecker {
  /**
   * Checks the servers given; rejects with "invalid-option" (nothing run) for input that is not ICE
   * servers, and with "busy" while another job runs. Stop ends it after the target in hand; the
   * result says which were not checked.
   */
  readonly job: Job<IceCheckOptions, IceCheckResult, IceCheckProgress>;
  private targetConnections: WatchedConnection[] = [];

  constructor(gate?: JobGate) {
    this.job = jobOf(
      "The ICE-server check",
      async (options, context) => {
        if (typeof options !== "object" || options === null || !("iceServers" in options))
          throw new LabError(
            "invalid-option",
            'Give the servers as { iceServers: [{ urls: "turn:…", … }] }.',
          );
        return this.checkAll(iceTargets(parseIceServers(options.iceServers)), context);
      },
      gate,
    );
  }

  /** The watched connections of the running or last check, one per target. */
  get connections(): readonly WatchedConnection[] {
    return this.targetConnections;
  }

  private async checkAll(
    targets: IceTarget[],
    { signal, progress }: JobContext<IceCheckProgress>,
  ): Promise<IceCheckResult> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    this.targetConnections = targets.map(
      (t) => new WatchedConnection("ice-check", `ICE: ${t.url} (${t.transport.toUpperCase()})`),
    );
    progress({ kind: "targets", connections: this.targetConnections.slice() });
    const results: IceTargetResult[] = [];
    for (const [index, target] of targets.entries()) {
      if (signal.aborted) break;
      const watched = this.targetConnections[index] as WatchedConnection;
      const outcome = await checkTarget(target, watched, signal);
      const findings = targetFindings(outcome);
      const result: IceTargetResult = { ...outcome, level: levelOf(findings), findings };
      watched.setFindings(findings);
      results.push(result);
      progress({ kind: "target", result });
    }
    const findings = [...results.flatMap((r) => r.findings), ...crossTargetFindings(results)];
    const unchecked = targets.length - results.length;
    return {
      results,
      findings,
      level: levelOf(findings),
      headline:
        iceCheckHeadline(
          results,
          results.map((r) => r.level),
        ) + (unchecked > 0 ? ` Stopped before ${counted(unchecked, "target")}.` : ""),
      startedAt,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

async function checkTarget(
  target: IceTarget,
  watched: WatchedConnection,
  signal: AbortSignal,
): Promise<TargetOutcome> {
  watched.begin();
  watched.step("session", "ice-server-check", { url: target.url, transport: target.transport });
  const gathered = await gatherThrough(target.server, watched, GATHER_TIMEOUT_MS, signal);
  const outcome: TargetOutcome = {
    url: target.url,
    scheme: target.scheme,
    transport: target.transport,
    candidateTypes: gathered.candidateTypes,
    firstCandidateMs: gathered.firstCandidateMs,
    gatheringMs: gathered.completeMs,
    errors: gathered.errors,
    refused: gathered.refused,
    relayConnected: false,
  };
  if (target.scheme !== "stun" && gathered.candidateTypes.includes("relay") && !signal.aborted)
    Object.assign(outcome, await throughRelay(target, watched, signal));
  watched.finish();
  return outcome;
}

/** The loopback, relay only, through this one target; then a short throughput and latency run. */
async function throughRelay(
  target: IceTarget,
  watched: WatchedConnection,
  signal: AbortSignal,
): Promise<
  Pick<TargetOutcome, "relayConnected" | "relayFailure" | "timeToOpenMs" | "throughput" | "latency">
> {
  const connector = new Connector(
    watched,
    { phase: () => undefined, message: () => undefined, ended: () => undefined },
    { configuration: { iceServers: [target.server], iceTransportPolicy: "relay" }, appendToRecording: true },
  );
  watched.step("session", "relay-only-loopback");
  // Stop ends the relay's connection, and with it the runs on it.
  const stopping = () => connector.disconnect();
  signal.addEventListener("abort", stopping, { once: true });
  try {
    const open = await connector.connect({ timeoutMs: RELAY_CONNECT_TIMEOUT_MS });
    const runs = new MeasurementRuns(connector);
    const t = await runs.throughput.run({ durationMs: RELAY_THROUGHPUT_MS });
    const throughput: RelayThroughput = {
      bytesPerSecond: t.bytesPerSecond,
      bytes: t.bytes,
      messages: t.messages,
      messageSize: t.settings.messageSize,
      durationMs: t.durationMs,
      lost: t.lost,
      outOfOrder: t.outOfOrder,
      corrupted: t.corrupted,
      cancelReason: t.cancelReason,
    };
    const l = await runs.latency.run({ samples: RELAY_LATENCY_SAMPLES });
    // No sample, no percentiles (they would be NaN, which JSON cannot carry).
    const latency: RelayLatency | undefined =
      l.samples > 0
        ? { samples: l.samples, p50Ms: l.p50Ms, p95Ms: l.p95Ms, cancelReason: l.cancelReason }
        : undefined;
    return {
      relayConnected: true,
      timeToOpenMs: open.timeToOpenMs,
      throughput,
      ...(latency ? { latency } : {}),
    };
  } catch (error) {
    const reason = error instanceof LabError && error.finding ? error.finding.message : errorMessage(error);
    return { relayConnected: false, relayFailure: reason };
  } finally {
    signal.removeEventListener("abort", stopping);
    connector.disconnect();
  }
}
