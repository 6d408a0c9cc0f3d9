// Gathering through one ICE server over one transport: a single peer with a data channel sets its
// offer and collects what the browser finds (host, srflx, relay), when each type first appeared,
// and the server's `icecandidateerror`s with their codes. Each step goes onto the watched connection.
import { errorMessage } from "../core/errors";
import { candidateDetail, describeCandidate } from "../watch/candidates";
import type { WatchedConnection } from "../watch/watched-connection";

export type CandidateType = "host" | "srflx" | "prflx" | "relay";

export interface IceServerError {
  errorCode: number;
  errorText: string;
}

export interface GatherResult {
  candidateTypes: CandidateType[];
  /** Milliseconds from setLocalDescription to the first candidate of each type. */
  firstCandidateMs: Partial<Record<CandidateType, number>>;
  /** Milliseconds until gathering completed; null when it had not within the deadline. */
  completeMs: number | null;
  errors: IceServerError[];
  /** The browser refused the configuration or the offer; the other fields are then empty. */
  refused: string | null;
}

const TYPES: readonly CandidateType[] = ["host", "srflx", "prflx", "relay"];
/** Errors kept per gathering: a server that answers every request with an error must not flood the report. */
const MAX_ERRORS = 20;

export async function gatherThrough(
  server: RTCIceServer,
  watched: WatchedConnection,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<GatherResult> {
  const result: GatherResult = {
    candidateTypes: [],
    firstCandidateMs: {},
    completeMs: null,
    errors: [],
    refused: null,
  };
  let pc: RTCPeerConnection;
  try {
    pc = new RTCPeerConnection({ iceServers: [server] });
  } catch (error) {
    result.refused = errorMessage(error);
    watched.step("session", "configuration-refused", { message: result.refused });
    return result;
  }
  const listening = new AbortController();
  const started = performance.now();
  const since = (event: Event) => Math.max(0, Math.round(event.timeStamp - started));
  try {
    const complete = new Promise<void>((resolve) => {
      pc.addEventListener(
        "icecandidate",
        (event: RTCPeerConnectionIceEvent) => {
          if (!event.candidate) return resolve();
          if (!event.candidate.candidate) return;
          const info = describeCandidate(event.candidate.candidate);
          const type = TYPES.find((t) => t === info.type);
          if (type && result.firstCandidateMs[type] === undefined) {
            result.firstCandidateMs[type] = since(event);
            result.candidateTypes.push(type);
          }
          watched.step("session", "candidate-gathered", candidateDetail(info));
        },
        { signal: listening.signal },
      );
      pc.addEventListener(
        "icecandidateerror",
        (event: Event) => {
          const e = event as RTCPeerConnectionIceErrorEvent;
          if (result.errors.length >= MAX_ERRORS) return;
          const error = { errorCode: e.errorCode, errorText: e.errorText ?? "" };
          if (result.errors.some((x) => x.errorCode === error.errorCode && x.errorText === error.errorText))
            return;
          result.errors.push(error);
          watched.step("session", "candidate-error", { code: error.errorCode, text: error.errorText });
        },
        { signal: listening.signal },
      );
    });
    pc.createDataChannel("gather");
    await pc.setLocalDescription(await pc.createOffer());
    watched.step("session", "gathering-started");
    const deadline = new Promise<"deadline">((resolve) => {
      const timer = setTimeout(() => resolve("deadline"), timeoutMs);
      listening.signal.addEventListener("abort", () => clearTimeout(timer));
      signal.addEventListener("abort", () => resolve("deadline"), { once: true, signal: listening.signal });
    });
    const outcome = await Promise.race([complete.then(() => "complete" as const), deadline]);
    if (outcome === "complete") {
      result.completeMs = Math.round(performance.now() - started);
      watched.step("session", "gathering-complete", { ms: result.completeMs });
    } else {
      watched.step("session", "gathering-timed-out", { timeoutMs: timeoutMs });
    }
  } catch (error) {
    result.refused = errorMessage(error);
    watched.step("session", "gathering-failed", { message: result.refused });
  } finally {
    listening.abort();
    pc.close();
  }
  return result;
}
