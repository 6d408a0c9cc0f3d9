// What this browser's WebRTC data channels can do, found by actually trying each feature rather
// than by reading the user-agent string: a feature counts as supported only once it worked here.
// This file holds the checks' names and what a "no" means (supportFindings, pure so it is tested
// without a browser); support-api.ts runs the checks that need no connection, support-probes.ts
// the ones that run on an open loopback session.

import { FINDINGS, type Finding, type FindingCode, finding } from "../../contract/findings";

/** The checks that need no connection: the API is there, and is the browser's own. */
const API_CHECK_IDS = [
  "rtc-peer-connection",
  "native-peer-connection",
  "data-channel",
  "binary-type",
] as const;

/** The checks that need an open connection: every channel kind, its events and its statistics. */
export const CONNECTION_CHECK_IDS = [
  "sctp-transport",
  "buffered-amount-low",
  "negotiated-channel",
  "unordered-channel",
  "partial-reliability",
  "data-channel-stats",
] as const;

export const SUPPORT_CHECK_IDS = [...API_CHECK_IDS, ...CONNECTION_CHECK_IDS] as const;
export type SupportCheckId = (typeof SUPPORT_CHECK_IDS)[number];

/** One feature: it worked ("yes"), it was tried and did not ("no"), or it could not be tried. */
export type SupportCheck =
  | { id: SupportCheckId; status: "yes"; detail: string; value?: string | number }
  | { id: SupportCheckId; status: "no"; detail: string }
  | { id: SupportCheckId; status: "not-checked"; detail: string };

export interface SupportResult {
  checks: SupportCheck[];
}

/** Plain-words names of the checks, for the panel, the summaries and the comparison. */
export const SUPPORT_CHECK_NAMES: Record<SupportCheckId, string> = {
  "rtc-peer-connection": "RTCPeerConnection present",
  "native-peer-connection": "RTCPeerConnection is the browser's own",
  "data-channel": "Data channels",
  "binary-type": "Default binaryType",
  "sctp-transport": "SCTP transport (maxMessageSize, maxChannels)",
  "buffered-amount-low": "bufferedamountlow events",
  "negotiated-channel": "Negotiated channels",
  "unordered-channel": "Unordered channels",
  "partial-reliability": "Partially reliable channels",
  "data-channel-stats": "Data-channel statistics (getStats)",
};

/** A "no" that matters gives a finding (its level and hint from the catalogue); a difference gives none. */
type Severity = { code: FindingCode; message: string } | "difference";

/**
 * What a "no" means. Only what stops data channels from working fails; what breaks common
 * application patterns warns; the rest are differences between browsers, shown in the report
 * but no reason to worry (data-channel statistics are not implemented everywhere, for one).
 */
const SEVERITY: Record<SupportCheckId, Severity> = {
  "rtc-peer-connection": { code: "no-rtcpeerconnection", message: FINDINGS["no-rtcpeerconnection"].message },
  "native-peer-connection": {
    code: "peer-connection-replaced",
    message:
      "RTCPeerConnection has been replaced or wrapped by a script, so these results describe that wrapper, not the browser.",
  },
  "data-channel": {
    code: "no-data-channels",
    message: "This browser's RTCPeerConnection cannot create data channels.",
  },
  "binary-type": "difference",
  "sctp-transport": {
    code: "no-sctp-transport",
    message:
      "The connection exposes no SCTP transport, so the largest message size is unknown and 64 KiB is assumed.",
  },
  "buffered-amount-low": {
    code: "no-buffered-amount-low",
    message:
      "bufferedamountlow events did not fire, so applications that pace their sending with them will stall.",
  },
  "negotiated-channel": {
    code: "negotiated-channel-failed",
    message: "A pre-negotiated data channel (negotiated: true with a fixed id) did not carry messages.",
  },
  "unordered-channel": {
    code: "unordered-channel-failed",
    message: "An unordered data channel (ordered: false) did not carry messages.",
  },
  "partial-reliability": {
    code: "partial-reliability-failed",
    message:
      "A partially reliable data channel (maxRetransmits or maxPacketLifeTime) did not open as asked or did not carry messages.",
  },
  "data-channel-stats": "difference",
};

/** The findings a support result gives: one per missing feature that matters. */
export function supportFindings(support: SupportResult): Finding[] {
  const findings: Finding[] = [];
  for (const check of support.checks) {
    if (check.status !== "no") continue;
    const severity = SEVERITY[check.id];
    if (severity === "difference") continue;
    findings.push(finding(severity.code, `${severity.message} (${check.detail})`));
  }
  return findings;
}

/** The finding codes support checks can produce, for the docs and the tests. */
export const SUPPORT_FINDING_CODES = Object.values(SEVERITY).flatMap((s) =>
  s === "difference" ? [] : [s.code],
);

export function check(
  id: SupportCheckId,
  ok: boolean,
  detail: string,
  value?: string | number,
): SupportCheck {
  if (!ok) return { id, status: "no", detail };
  return value === undefined ? { id, status: "yes", detail } : { id, status: "yes", detail, value };
}

export function notChecked(id: SupportCheckId, detail: string): SupportCheck {
  return { id, status: "not-checked", detail };
}
