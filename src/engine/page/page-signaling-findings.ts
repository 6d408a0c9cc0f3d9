// What the page's own calls say went wrong with one of its connections: candidates that never
// reached it, calls the browser rejected, an offer never answered, a TURN server that refused or gave
// no relay. Each rule names only what the recorder saw, and stays silent without that evidence.
// Pure, so every rule is unit-tested.
import { type Finding, finding } from "../../contract/findings";
import { sentence } from "../../format/sentence";
import { milliseconds as ms } from "../../format/units";
import type { StepDetails, StepKind } from "../watch/steps";
import type { TimelineEntry } from "../watch/timeline";

/** How long after the remote description a connection may go without any remote candidate. */
export const REMOTE_CANDIDATES_WAIT_MS = 5000;
/** How long an offer may wait for its answer. */
export const ANSWER_WAIT_MS = 10_000;
/** STUN/TURN error codes that mean the server refused the credentials. */
const REFUSED_CODES = new Set([401, 441]);

export interface SignalingFacts {
  entries: readonly TimelineEntry[];
  /** Now, on the page recorder's clock (ms since it started). */
  nowT: number;
}

type Step<K extends StepKind> = TimelineEntry & { kind: K; detail: StepDetails[K] };

function steps<K extends StepKind>(entries: readonly TimelineEntry[], kind: K): Step<K>[] {
  return entries.filter((e): e is Step<K> => e.kind === kind);
}

export function signalingFindings(facts: SignalingFacts): Finding[] {
  return [
    ...noRemoteCandidates(facts),
    ...failedCalls(facts.entries),
    ...signalingStalled(facts),
    ...turnRefused(facts.entries),
    ...noRelay(facts.entries),
  ];
}

const lastState = (entries: readonly TimelineEntry[], property: string) =>
  entries.findLast((e) => e.source === "peer" && e.property === property)?.value;

const everConnected = (entries: readonly TimelineEntry[]) =>
  entries.some(
    (e) =>
      e.source === "peer" &&
      e.property === "iceConnectionState" &&
      (e.value === "connected" || e.value === "completed"),
  );

/** True when some remote candidate reached the connection: in a remote description, or added. */
export function remoteCandidateSeen(entries: readonly TimelineEntry[]): boolean {
  return (
    steps(entries, "candidate-added").length > 0 ||
    steps(entries, "remote-description-set").some((e) => (e.detail.candidates ?? 0) > 0)
  );
}

function noRemoteCandidates({ entries, nowT }: SignalingFacts): Finding[] {
  const remote = steps(entries, "remote-description-set");
  const first = remote[0];
  // Without a remote description seen, or with a count the recorder could not read, there is no evidence.
  if (!first || remote.some((e) => e.detail.candidates === undefined)) return [];
  const addCalls = entries.filter(
    (e) =>
      e.kind === "candidate-added" ||
      e.kind === "end-of-candidates" ||
      (e.kind === "call-failed" && e.detail?.method === "addIceCandidate"),
  );
  if (addCalls.length > 0 || remoteCandidateSeen(entries) || everConnected(entries)) return [];
  const ice = lastState(entries, "iceConnectionState") ?? "new";
  const over = ice === "failed" || ice === "closed" || nowT - first.t >= REMOTE_CANDIDATES_WAIT_MS;
  if (!over) return [];
  return [
    finding(
      "page-no-remote-candidates",
      `No remote ICE candidate ever reached this connection: its remote description (${first.detail.type}, set at ${ms(first.t)}) held none, and the page never called addIceCandidate. ICE is "${ice}".`,
    ),
  ];
}

function failedCalls(entries: readonly TimelineEntry[]): Finding[] {
  const failed = steps(entries, "call-failed");
  const methods = [...new Set(failed.map((e) => e.detail.method))];
  return methods.map((method) => {
    const calls = failed.filter((e) => e.detail.method === method);
    const first = calls[0] as Step<"call-failed">;
    const times = calls.length === 1 ? "once" : `${calls.length} times`;
    const base = `${method}() failed ${times}; the first, at ${ms(first.t)}: ${sentence(first.detail.error)}`;
    if (method === "addIceCandidate") {
      const remoteAt = steps(entries, "remote-description-set")[0]?.t;
      const early = calls.filter((e) => remoteAt === undefined || e.t < remoteAt).length;
      if (early > 0)
        return finding(
          "page-call-failed",
          `${base} ${early === calls.length ? "Each was" : `${early} of them were`} added before any remote description was set.`,
          "Candidates can arrive before the description they belong to: queue them until setRemoteDescription has resolved, then add them.",
        );
    }
    return finding("page-call-failed", base, HINTS[method] ?? HINTS.other);
  });
}

const HINTS: Record<string, string> = {
  setRemoteDescription:
    "The browser refused the description the page received: applied in the wrong signaling state (an answer applied twice, or to a connection that made no offer), or its SDP was edited or belongs to another connection.",
  setLocalDescription:
    "The browser refused the page's own description: applied in the wrong signaling state, or changed after createOffer or createAnswer made it.",
  createAnswer: 'createAnswer needs a remote offer set first (signaling state "have-remote-offer").',
  addIceCandidate:
    "The candidate does not belong to this connection's remote description (another connection's, or one from before an ICE restart), or is malformed.",
  other: "The browser's words say what it refused.",
};

function signalingStalled({ entries, nowT }: SignalingFacts): Finding[] {
  const local = steps(entries, "local-description-set");
  const remote = steps(entries, "remote-description-set");
  const state = lastState(entries, "signalingState");
  const found: Finding[] = [];
  const ourOffer = local.findLast((e) => e.detail.type === "offer");
  if (state === "have-local-offer" && ourOffer && nowT - ourOffer.t >= ANSWER_WAIT_MS)
    found.push(
      finding(
        "page-signaling-stalled",
        `The page set its offer at ${ms(ourOffer.t)}, and no answer was set in the ${Math.round((nowT - ourOffer.t) / 1000)} s since (signaling state "have-local-offer").`,
      ),
    );
  const theirOffer = remote.findLast((e) => e.detail.type === "offer");
  if (state === "have-remote-offer" && theirOffer && nowT - theirOffer.t >= ANSWER_WAIT_MS)
    found.push(
      finding(
        "page-signaling-stalled",
        `The page received an offer at ${ms(theirOffer.t)} and has not answered it in the ${Math.round((nowT - theirOffer.t) / 1000)} s since (signaling state "have-remote-offer": createAnswer and setLocalDescription were never both done).`,
        "Answer a received offer: createAnswer(), setLocalDescription() with it, and send it back.",
      ),
    );
  return found;
}

function turnRefused(entries: readonly TimelineEntry[]): Finding[] {
  const refused = steps(entries, "candidate-error").filter(
    (e) => REFUSED_CODES.has(e.detail.code) && /^turns?:/.test(String(e.detail.url ?? "")),
  );
  const urls = [...new Set(refused.map((e) => String(e.detail.url)))];
  return urls.map((url) => {
    const errors = refused.filter((e) => e.detail.url === url);
    const codes = [...new Set(errors.map((e) => e.detail.code))].join(", ");
    return finding(
      "page-turn-refused",
      `The TURN server ${url} refused the page's credentials (error ${codes}, ${errors.length === 1 ? "once" : `${errors.length} times`}).`,
    );
  });
}

function noRelay(entries: readonly TimelineEntry[]): Finding[] {
  const config = steps(entries, "configuration")[0];
  if (config?.detail.policy !== "relay") return [];
  if (lastState(entries, "iceGatheringState") !== "complete") return [];
  const gathered = steps(entries, "candidate-gathered");
  if (gathered.some((e) => e.detail.type === "relay")) return [];
  const errors = steps(entries, "candidate-error");
  const answers = [...new Set(errors.map((e) => `${e.detail.code} from ${e.detail.url || "a server"}`))];
  return [
    finding(
      "page-no-relay",
      `The page asks for relay only, and gathering finished without a relay candidate (${config.detail.servers} ICE server${config.detail.servers === 1 ? "" : "s"} configured${config.detail.urls ? `: ${config.detail.urls}` : ""}); ${answers.length > 0 ? `the servers answered ${answers.join("; ")}` : "no server reported an error"}.`,
    ),
  ];
}
