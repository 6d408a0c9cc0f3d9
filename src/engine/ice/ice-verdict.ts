// From what each ICE-server target did to findings, and from the matrix to one level: pass, warn or
// fail. Pure, so every rule is unit-tested. A server problem never turns the local stack's verdict
// into a failure: the check has a level of its own (see report.ts, which keeps them apart).
import { FINDINGS, type Finding, type FindingLevel, finding } from "../../contract/findings";
import { bytes, rate as MB, milliseconds as ms } from "../../format/units";
import type { CandidateType, IceServerError } from "./gather";
import type { IceScheme, IceTransport } from "./ice-servers";

/** What the rules read of one target's outcome. */
export interface TargetOutcome {
  url: string;
  scheme: IceScheme;
  transport: IceTransport;
  candidateTypes: CandidateType[];
  firstCandidateMs: Partial<Record<CandidateType, number>>;
  gatheringMs: number | null;
  errors: IceServerError[];
  refused: string | null;
  /** False also when not tried (a STUN server, or no relay candidate to try with). */
  relayConnected: boolean;
  relayFailure?: string;
  timeToOpenMs?: number;
  throughput?: RelayThroughput;
  latency?: RelayLatency;
}

export interface RelayThroughput {
  bytesPerSecond: number;
  bytes: number;
  messages: number;
  messageSize: number;
  durationMs: number;
  lost: number;
  outOfOrder: number;
  corrupted: number;
  cancelReason: string | null;
}

export interface RelayLatency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  cancelReason: string | null;
}

/** A relay slower than this (1 Mbit/s) cannot carry much more than a small video call's data. */
export const RELAY_MIN_BYTES_PER_SECOND = 125_000;
/** A relay whose p95 round trip is over this makes interactive data feel laggy. */
export const RELAY_MAX_P95_MS = 250;

const UNAUTHORIZED = new Set([401, 441]);
const UNREACHABLE = 701;

/** The findings of one target, most important first. */
export function targetFindings(o: TargetOutcome): Finding[] {
  const where = `${o.url} (${o.transport.toUpperCase()})`;
  if (o.refused) return [finding("ice-server-refused", `${where}: the browser refused it: ${o.refused}`)];
  if (o.scheme === "stun") return [reflexiveFinding(o, where)];
  const relay = o.candidateTypes.includes("relay");
  if (!relay) return [noRelayFinding(o, where)];
  if (!o.relayConnected)
    return [
      finding(
        "relay-failed",
        `${where}: the server gave a relay candidate, but a relay-only connection through it did not open${o.relayFailure ? `: ${o.relayFailure}` : ""}.`,
      ),
    ];
  return relayFindings(o, where);
}

/**
 * Findings across targets: relay working over TCP or TLS but not over UDP to the same host means
 * UDP is blocked on the way to it (the usual corporate firewall), which deserves its own name.
 */
export function crossTargetFindings(outcomes: readonly TargetOutcome[]): Finding[] {
  const byHost = new Map<string, TargetOutcome[]>();
  for (const o of outcomes) {
    if (o.scheme === "stun") continue;
    const host = hostOf(o.url);
    byHost.set(host, [...(byHost.get(host) ?? []), o]);
  }
  const found: Finding[] = [];
  for (const [host, list] of byHost) {
    const udp = list.filter((o) => o.transport === "udp");
    const streamWorks = list.filter((o) => o.transport !== "udp" && o.relayConnected);
    if (udp.length > 0 && udp.every((o) => !o.relayConnected) && streamWorks.length > 0) {
      const over = [...new Set(streamWorks.map((o) => o.transport.toUpperCase()))].join(" and ");
      found.push(
        finding(
          "relay-udp-blocked",
          `${host}: the relay works over ${over} but not over UDP, so UDP to the TURN server is blocked or lost on the way.`,
        ),
      );
    }
  }
  return found;
}

/** One sentence for the whole check. */
export function iceCheckHeadline(outcomes: readonly TargetOutcome[], cellLevels: FindingLevel[]): string {
  const count = (level: FindingLevel) => cellLevels.filter((l) => l === level).length;
  const total = outcomes.length;
  const relays = outcomes.filter((o) => o.relayConnected).length;
  const turns = outcomes.filter((o) => o.scheme !== "stun").length;
  const parts = [`${count("pass")} of ${total} ICE-server checks passed`];
  if (count("warn")) parts.push(`${count("warn")} warned`);
  if (count("fail")) parts.push(`${count("fail")} failed`);
  const relayText =
    turns > 0 ? `; a relay-only connection opened through ${relays} of ${turns} TURN targets` : "";
  return `${parts.join(", ")}${relayText}.`;
}

function reflexiveFinding(o: TargetOutcome, where: string): Finding {
  const srflx = o.firstCandidateMs.srflx;
  if (srflx !== undefined)
    return finding("reflexive-candidate", `${where}: a server-reflexive candidate arrived in ${ms(srflx)}.`);
  if (o.errors.length > 0)
    return finding(
      "no-reflexive-candidate",
      `${where}: no server-reflexive candidate; the browser reported ${errorList(o.errors)}.`,
      "The STUN server did not answer: check the host name and port, and that UDP to it is allowed.",
    );
  const waited = o.gatheringMs === null ? " and gathering had not finished within its deadline" : "";
  return finding(
    "no-reflexive-candidate",
    `${where}: no server-reflexive candidate, and no error from the server${waited}.`,
    "With no NAT between this machine and the server, the reflexive address equals a host address and the browser drops it as a duplicate: that is fine. Behind a NAT it means the server did not answer.",
  );
}

function noRelayFinding(o: TargetOutcome, where: string): Finding {
  if (o.errors.some((e) => UNAUTHORIZED.has(e.errorCode)))
    return finding(
      "turn-unauthorized",
      `${where}: the TURN server refused the credentials (${errorList(o.errors)}).`,
    );
  const others = o.errors.filter((e) => e.errorCode !== UNREACHABLE);
  if (others.length > 0)
    return finding(
      "turn-no-relay",
      `${where}: the TURN server gave no relay address (${errorList(others)}).`,
    );
  const evidence =
    o.errors.length > 0
      ? `the browser reported ${errorList(o.errors)}`
      : o.gatheringMs === null
        ? "no answer came before the gathering deadline"
        : "gathering finished without a relay candidate and without an error";
  const tls =
    o.transport === "tls"
      ? "Over TLS this is also what a certificate the browser does not trust, or one for another name, looks like. "
      : "";
  return finding(
    "turn-unreachable",
    `${where}: the TURN server could not be reached: ${evidence}.`,
    `${tls}${FINDINGS["turn-unreachable"].hint}`,
  );
}

function relayFindings(o: TargetOutcome, where: string): Finding[] {
  const found: Finding[] = [];
  const t = o.throughput;
  const l = o.latency;
  if (t && t.lost + t.outOfOrder + t.corrupted > 0)
    found.push(
      finding(
        "data-not-intact",
        `${where}: through the relay, ${t.lost} messages were lost, ${t.outOfOrder} arrived out of order and ${t.corrupted} were corrupted.`,
      ),
    );
  if (t && t.bytesPerSecond < RELAY_MIN_BYTES_PER_SECOND)
    found.push(
      finding(
        "relay-slow",
        `${where}: ${MB(t.bytesPerSecond)} through the relay, under the ${MB(RELAY_MIN_BYTES_PER_SECOND)} threshold${t.cancelReason ? ` (the run stopped: ${t.cancelReason})` : ""}.`,
      ),
    );
  if (l && l.samples > 0 && l.p95Ms > RELAY_MAX_P95_MS)
    found.push(
      finding(
        "relay-high-latency",
        `${where}: the p95 round trip through the relay was ${ms(l.p95Ms)}, over the ${ms(RELAY_MAX_P95_MS)} threshold.`,
      ),
    );
  const figures = [
    o.timeToOpenMs !== undefined ? `opened in ${ms(o.timeToOpenMs)}` : "",
    t ? `${MB(t.bytesPerSecond)} (${bytes(t.bytes)} intact)` : "",
    l && l.samples > 0 ? `round trip p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}` : "",
  ].filter(Boolean);
  // Browsers try the server from each local interface; an error from one does not stop another.
  const alsoErrors =
    o.errors.length > 0
      ? ` The browser also reported ${errorList(o.errors)} while gathering, from some local interface.`
      : "";
  found.push(
    finding(
      "relay-connected",
      `${where}: a relay-only connection through it carried data; ${figures.join(", ")}.${alsoErrors}`,
    ),
  );
  return found;
}

function errorList(errors: readonly IceServerError[]): string {
  // The browser's own text ends in a full stop often ("Unauthorized."): it is cut, so a sentence around it reads once.
  return errors
    .map((e) => `${e.errorCode}${e.errorText ? ` ${e.errorText.replace(/[.\s]+$/, "")}` : ""}`)
    .join("; ");
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:/i, "").replace(/\?.*$/, "");
}
