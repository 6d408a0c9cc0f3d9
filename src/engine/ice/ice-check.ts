// The ICE-server check: for each server URL and transport, gather through it alone, then (for TURN)
// open the loopback with `iceTransportPolicy: "relay"` through it and measure a short throughput and
// round-trip run, with the loopback's integrity checks. Each target is a watched connection of its
// own, so the timeline view shows any of them like the panel's loopback. One check at a time.

import type { Finding, FindingLevel } from "../../contract/findings";
import { levelOf } from "../../contract/levels";
import { Emitter } from "../core/emitter";
import { errorMessage, LabError } from "../core/errors";
import { MeasurementRuns } from "../measure/measurement-runs";
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

export interface IceCheckEvents {
  /** A new check began: these are its targets' watched connections, in order. */
  "ice-check-started": WatchedConnection[];
  "ice-check-target": IceTargetResult;
  "ice-check-result": IceCheckResult;
  "ice-check-running": boolean;
}

/** Gathering through one server ends by this deadline: a TURN server over UDP that never answers takes ~40 s otherwise. */
export const GATHER_TIMEOUT_MS = 8000;
export const RELAY_CONNECT_TIMEOUT_MS = 10_000;
const RELAY_THROUGHPUT_MS = 1500;
const RELAY_LATENCY_SAMPLES = 30;

export class IceChecker {
  readonly events = new Emitter<IceCheckEvents>();
  private running: Promise<IceCheckResult> | null = null;
  private last: IceCheckResult | null = null;
  private targetConnections: WatchedConnection[] = [];
  private stopper: AbortController | null = null;

  get isRunning(): boolean {
    return this.running !== null;
  }

  get lastResult(): IceCheckResult | null {
    return this.last;
  }

  /** The watched connections of the running or last check, one per target. */
  get connections(): readonly WatchedConnection[] {
    return this.targetConnections;
  }

  /**
   * Checks the servers given; rejects with "invalid-option" (nothing run) for input that is not
   * ICE servers, and with "busy" while another check runs.
   */
  run(options: IceCheckOptions): Promise<IceCheckResult> {
    if (this.running) throw new LabError("busy", "An ICE-server check is running; wait for it to finish.");
    if (typeof options !== "object" || options === null || !("iceServers" in options))
      throw new LabError("invalid-option", 'Give the servers as { iceServers: [{ urls: "turn:…", … }] }.');
    const targets = iceTargets(parseIceServers(options.iceServers));
    this.stopper = new AbortController();
    this.running = this.checkAll(targets, this.stopper.signal).finally(() => {
      this.running = null;
      this.stopper = null;
      this.events.emit("ice-check-running", false);
    });
    this.events.emit("ice-check-running", true);
    return this.running;
  }

  /** Ends the running check after the target in hand; the result says which were not checked. */
  stop(): void {
    this.stopper?.abort(new LabError("cancelled", "The ICE-server check was stopped."));
  }

  private async checkAll(targets: IceTarget[], signal: AbortSignal): Promise<IceCheckResult> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    this.targetConnections = targets.map(
      (t) => new WatchedConnection("ice-check", `ICE: ${t.url} (${t.transport.toUpperCase()})`),
    );
    this.events.emit("ice-check-started", this.targetConnections.slice());
    const results: IceTargetResult[] = [];
    for (const [index, target] of targets.entries()) {
      if (signal.aborted) break;
      const outcome = await checkTarget(target, this.targetConnections[index] as WatchedConnection, signal);
      const findings = targetFindings(outcome);
      const result: IceTargetResult = { ...outcome, level: levelOf(findings), findings };
      (this.targetConnections[index] as WatchedConnection).setFindings(findings);
      results.push(result);
      this.events.emit("ice-check-target", result);
    }
    const findings = [...results.flatMap((r) => r.findings), ...crossTargetFindings(results)];
    const result: IceCheckResult = {
      results,
      findings,
      level: levelOf(findings),
      headline:
        iceCheckHeadline(
          results,
          results.map((r) => r.level),
        ) +
        (results.length < targets.length
          ? ` Stopped before ${targets.length - results.length} targets.`
          : ""),
      startedAt,
      durationMs: Math.round(performance.now() - started),
    };
    this.last = result;
    this.events.emit("ice-check-result", result);
    return result;
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
    Object.assign(outcome, await throughRelay(target, watched));
  watched.finish();
  return outcome;
}

/** The loopback, relay only, through this one target; then a short throughput and latency run. */
async function throughRelay(
  target: IceTarget,
  watched: WatchedConnection,
): Promise<
  Pick<TargetOutcome, "relayConnected" | "relayFailure" | "timeToOpenMs" | "throughput" | "latency">
> {
  const connector = new Connector(
    watched,
    { phase: () => undefined, message: () => undefined, ended: () => undefined },
    { configuration: { iceServers: [target.server], iceTransportPolicy: "relay" }, appendToRecording: true },
  );
  watched.step("session", "relay-only-loopback");
  try {
    const open = await connector.connect({ timeoutMs: RELAY_CONNECT_TIMEOUT_MS });
    const runs = new MeasurementRuns(connector, new Emitter());
    const t = await runs.throughput({ durationMs: RELAY_THROUGHPUT_MS });
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
    const l = await runs.latency({ samples: RELAY_LATENCY_SAMPLES });
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
    connector.disconnect();
  }
}
