// Every kind of step a timeline records (an API call, a gathered candidate, an error, a finding),
// with the fields each carries. Readers match on `kind` and the fields; the words a person reads
// are made here from the same data, so rewording a step can never change what a reader concludes.
import type { FindingCode } from "../../contract/findings";

type Detail = Record<string, string | number | boolean | null>;
type NoDetail = Record<string, never>;

/** What a timeline keeps of a candidate: never its address. */
export interface CandidateDetail extends Detail {
  type: string;
  protocol: string;
  family: string;
  mdns: boolean;
  loopback: boolean;
}

export interface StepDetails {
  connect: { timeoutMs: number };
  "peer-connection-refused": { attempt: number };
  open: { maxMessageSize: number };
  /** `reason` is the end reason in words (see session/end-reason.ts). */
  closed: { reason: string };
  finding: { code: FindingCode; message: string };
  "negotiation-failed": { message: string };
  "connection-lost": { reason: string };
  "offer-created": NoDetail;
  "answer-created": NoDetail;
  /** `candidates` and `data` where the recorder read the description (the inspected page's). */
  "local-description-set": DescriptionDetail;
  "remote-description-set": DescriptionDetail;
  "gathering-finished": { candidates: number };
  "candidate-gathered": CandidateDetail;
  "candidate-added": CandidateDetail;
  "add-candidate-failed": { message: string };
  /** `icecandidateerror`: the STUN or TURN error code and the browser's text. */
  "candidate-error": { code: number; text: string; url?: string | null };
  "dtls-error": { message: string };
  "channel-error": { message: string; detail?: string | null };
  "channel-handed-over": NoDetail;
  "configuration-refused": { message: string };
  "gathering-started": NoDetail;
  "gathering-complete": { ms: number };
  "gathering-timed-out": { timeoutMs: number };
  "gathering-failed": { message: string };
  "ice-server-check": { url: string; transport: string };
  "relay-only-loopback": NoDetail;
  /** An API call of the inspected page that the browser rejected: which, and the browser's words. */
  "call-failed": { method: string; error: string };
  /** addIceCandidate() with no candidate: the other side's gathering finished. */
  "end-of-candidates": NoDetail;
  "ice-restarted": NoDetail;
  /** The page's RTCConfiguration: server URLs without credentials, and its policies. */
  configuration: { servers: number; urls: string; policy: string; bundle: string };
  /** The inspected page's document went away (a navigation, or a reload without the recorder). */
  "document-left": NoDetail;
  /** The candidate pair in use changed, as a statistics sample showed it (a dump's transport series). */
  "pair-selected": { local: string; remote: string; protocol: string };
}

export type DescriptionDetail = {
  type: string;
  /** How many a=candidate lines it held. */
  candidates?: number;
  /** Whether it had a data section (m=application). */
  data?: boolean;
  /** Which endpoint it came from (call-details.ts endpointKey): pairs the page's own two ends. */
  endpoint?: string;
};

export type StepKind = keyof StepDetails;

/** The timeline column a step shows in: a plain step, a candidate, an error or a finding. */
export type StepProperty = "step" | "candidate" | "error" | "finding";

interface StepWords<K extends StepKind> {
  property: StepProperty;
  words(detail: StepDetails[K]): string;
}

const candidateWords = (verb: string) => (d: CandidateDetail) =>
  `${verb} ${d.type} ${d.protocol} ${d.family}`;
const fixed = (words: string) => () => words;

export const STEPS: { readonly [K in StepKind]: StepWords<K> } = {
  connect: { property: "step", words: fixed("connect") },
  "peer-connection-refused": {
    property: "step",
    words: fixed("peer connection refused; freeing closed ones"),
  },
  open: { property: "step", words: fixed("open") },
  closed: { property: "step", words: fixed("closed") },
  finding: { property: "finding", words: (d) => d.code },
  "negotiation-failed": { property: "error", words: fixed("negotiation failed") },
  "connection-lost": { property: "error", words: fixed("connection lost") },
  "offer-created": { property: "step", words: fixed("offer created") },
  "answer-created": { property: "step", words: fixed("answer created") },
  "local-description-set": { property: "step", words: (d) => `local description set (${d.type})` },
  "remote-description-set": { property: "step", words: (d) => `remote description set (${d.type})` },
  "gathering-finished": { property: "step", words: fixed("candidate gathering finished") },
  "candidate-gathered": { property: "candidate", words: candidateWords("gathered") },
  "candidate-added": { property: "candidate", words: candidateWords("added") },
  "add-candidate-failed": { property: "error", words: fixed("addIceCandidate failed") },
  "candidate-error": { property: "error", words: (d) => `candidate error ${d.code}` },
  "dtls-error": { property: "error", words: fixed("DTLS error") },
  "channel-error": { property: "error", words: fixed("channel error") },
  "channel-handed-over": { property: "step", words: fixed("channel handed over (ondatachannel)") },
  "configuration-refused": { property: "error", words: fixed("configuration refused") },
  "gathering-started": { property: "step", words: fixed("gathering started") },
  "gathering-complete": { property: "step", words: fixed("gathering complete") },
  "gathering-timed-out": {
    property: "step",
    words: (d) => `gathering not complete after ${d.timeoutMs / 1000} s`,
  },
  "gathering-failed": { property: "error", words: fixed("gathering failed") },
  "ice-server-check": { property: "step", words: fixed("ICE-server check") },
  "relay-only-loopback": { property: "step", words: fixed("relay-only loopback") },
  "call-failed": { property: "error", words: (d) => `${d.method}() failed` },
  "end-of-candidates": { property: "candidate", words: fixed("end of candidates added") },
  "ice-restarted": { property: "step", words: fixed("restartIce()") },
  configuration: { property: "step", words: fixed("configuration") },
  "document-left": { property: "step", words: fixed("the page's document went away") },
  "pair-selected": {
    property: "step",
    words: (d) => `pair in use: ${d.local} ↔ ${d.remote} ${d.protocol.toUpperCase()} (a statistics sample)`,
  },
};

/** The detail argument: optional for kinds that carry none. */
export type StepDetailArgs<K extends StepKind> = StepDetails[K] extends NoDetail
  ? [detail?: StepDetails[K]]
  : [detail: StepDetails[K]];

/** The column and the words of a step, made from its kind and fields. */
export function describeStep<K extends StepKind>(
  kind: K,
  detail: StepDetails[K],
): { property: StepProperty; value: string } {
  const step = STEPS[kind] as StepWords<K>;
  return { property: step.property, value: step.words(detail) };
}
