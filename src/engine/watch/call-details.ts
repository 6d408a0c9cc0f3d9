// What is kept of the calls that shape a connection, wherever they were seen (the page recorder, a
// dump): a description's type, candidate count and data section, never its SDP; an added
// candidate's type, protocol and family, never its address; a configuration's server URLs without
// credentials, and its policies.
import { shownUrl } from "../ice/shown-url";
import { candidateDetail, describeCandidate } from "./candidates";

type Detail = Record<string, string | number | boolean | null>;

/** Words from a page or a file are cut to this many characters. */
const MAX_TEXT = 200;

/** What is kept of a description: never its SDP. */
export function describeDescription(description: RTCSessionDescriptionInit | null | undefined): Detail {
  const sdp = String(description?.sdp ?? "");
  const fingerprint = /^a=fingerprint:(.{1,300})$/m.exec(sdp)?.[1]?.trim();
  return {
    type: String(description?.type ?? "").slice(0, MAX_TEXT),
    candidates: sdp.match(/^a=candidate:/gm)?.length ?? 0,
    data: /^m=application /m.test(sdp),
    ...(fingerprint ? { endpoint: endpointKey(fingerprint) } : {}),
  };
}

/**
 * Pure: a short key for the endpoint a description came from (FNV-1a of its DTLS fingerprint, 8 hex
 * digits). One endpoint's descriptions share it, so two of a page's connections that set each
 * other's descriptions can be told apart from strangers; the fingerprint itself is not kept.
 */
export function endpointKey(fingerprint: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < fingerprint.length; i++) {
    hash ^= fingerprint.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** What is kept of an added candidate; `end` for the end-of-candidates marker. */
export function describeAdded(candidate: RTCIceCandidateInit | null | undefined): Detail {
  const line = candidate?.candidate;
  if (!line) return { end: true };
  return candidateDetail(describeCandidate(String(line)));
}

/** The configuration as it is kept: never usernames or credentials. */
export function describeConfiguration(configuration: RTCConfiguration | undefined): Detail {
  const servers = Array.isArray(configuration?.iceServers) ? configuration.iceServers : [];
  const urls = servers.flatMap((server) => {
    const list = server?.urls;
    return (Array.isArray(list) ? list : [list]).filter((u): u is string => typeof u === "string");
  });
  return {
    servers: servers.length,
    urls: urls.map(shownUrl).join(" ").slice(0, MAX_TEXT),
    policy: String(configuration?.iceTransportPolicy ?? "all").slice(0, 20),
    bundle: String(configuration?.bundlePolicy ?? "balanced").slice(0, 20),
  };
}
