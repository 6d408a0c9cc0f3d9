// Reads what a diagnosis needs from an ICE candidate: its type, protocol, address family, and
// whether the browser hid the host address behind an mDNS name (Firefox and Chrome do by default).
import type { CandidateDetail } from "./steps";

export interface CandidateInfo {
  type: string;
  protocol: string;
  family: "ipv4" | "ipv6" | "mdns" | "unknown";
  mdns: boolean;
  /** 127.0.0.0/8 or ::1: only a browser told to allow loopback candidates gathers these. */
  loopback: boolean;
  address: string;
}

export function describeCandidate(candidateLine: string): CandidateInfo {
  // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> …
  const parts = candidateLine.replace(/^a=/, "").split(/\s+/);
  const protocol = (parts[2] ?? "unknown").toLowerCase();
  const address = parts[4] ?? "";
  const typIndex = parts.indexOf("typ");
  const type = typIndex >= 0 ? (parts[typIndex + 1] ?? "unknown") : "unknown";
  const mdns = address.toLowerCase().endsWith(".local");
  const loopback = /^127\./.test(address) || address === "::1";
  return { type, protocol, family: familyOf(address, mdns), mdns, loopback, address };
}

/** What the timeline keeps of a candidate: never its address. */
export function candidateDetail(info: CandidateInfo): CandidateDetail {
  return {
    type: info.type,
    protocol: info.protocol,
    family: info.family,
    mdns: info.mdns,
    loopback: info.loopback,
  };
}

function familyOf(address: string, mdns: boolean): CandidateInfo["family"] {
  if (mdns) return "mdns";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) return "ipv4";
  if (address.includes(":")) return "ipv6";
  return "unknown";
}
