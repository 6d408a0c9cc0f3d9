// Findings: every conclusion the lab can draw, in one catalogue. Codes are stable (scripts, reports
// and the docs rely on them); a unit test keeps the table in docs/FINDINGS.md equal to this one.

import type { Level } from "./levels";

/** A finding's level: see levels.ts for their order and words. */
export type FindingLevel = Level;

interface CatalogueEntry {
  readonly level: FindingLevel;
  /** What the code means, in one line: the table in docs/FINDINGS.md prints it. */
  readonly summary: string;
  /** The message where it never varies; otherwise each finding writes its own. */
  readonly message?: string;
  /** What to try next, where that helps; a finding may replace it with a more specific hint. */
  readonly hint?: string;
}

export const FINDINGS = {
  "channel-open": { level: "pass", summary: "the data channel opened; how long it took" },
  "throughput-measured": { level: "pass", summary: "the throughput figures, every message intact" },
  "latency-measured": { level: "pass", summary: "the round-trip figures" },
  "no-rtcpeerconnection": {
    level: "fail",
    summary: "the browser has no `RTCPeerConnection` (WebRTC disabled by a setting, policy or extension)",
    message: "This browser has no RTCPeerConnection, so WebRTC is not available here at all.",
    hint: "WebRTC may be disabled by a browser setting, an enterprise policy or an extension (media.peerconnection.enabled in Firefox).",
  },
  "no-data-channels": {
    level: "fail",
    summary: "peer connections exist but data channels do not",
    hint: "Data channels may be disabled by a browser setting or policy.",
  },
  "peer-connection-refused": {
    level: "fail",
    summary: "the browser refused to create a peer connection",
    hint: "Chrome refuses new peer connections when a page holds too many; close other WebRTC pages or reload DevTools.",
  },
  "negotiation-failed": {
    level: "fail",
    summary: "the browser rejected its own offer or answer",
    hint: "The browser rejected its own session description; this points to a browser bug or a script that replaced RTCPeerConnection.",
  },
  "no-candidates": {
    level: "fail",
    summary:
      "no ICE candidate was gathered: no usable network interface, or an IP-handling policy hides every address",
    hint: "There is no usable network interface, or a WebRTC IP-handling policy (browser setting, enterprise policy or privacy extension) hides every address.",
  },
  "no-interface-up": {
    level: "fail",
    summary:
      "no ICE candidate was gathered without any ICE server or IP-handling policy in the way: the browser found no network interface it will use",
    hint: "Extension pages are exempt from IP-handling policies and privacy settings, so gathering nothing here means the browser would use none of this machine's interfaces. Browsers do not use loopback for WebRTC: if nothing else is up, bring an interface up (Ethernet, Wi-Fi or a VPN with an address). If one is up, check that the machine has a default route (Firefox gathers nothing without one) and that no browser setting limits WebRTC to a proxy (Firefox: media.peerconnection.ice.proxy_only in about:config).",
  },
  "web-pages-restricted": {
    level: "fail",
    summary:
      "a web page cannot open the data channel this extension page opens: a WebRTC IP-handling policy, setting or extension restricts web pages",
    hint: "Extension pages are exempt from the WebRTC IP-handling policy and from what privacy extensions do to web pages, so the panel's own loopback works where your page's does not. Check chrome://policy (WebRtcIPHandling), the extensions that control privacy settings, and any extension that blocks WebRTC.",
  },
  "web-pages-mdns-unresolved": {
    level: "fail",
    summary:
      "a web page's host candidates are mDNS names (.local) that do not resolve here, so its loopback never connects",
    hint: "Browsers hide a web page's local addresses behind mDNS names (.local), which the other peer resolves with multicast DNS: UDP to 224.0.0.251, port 5353. A firewall, VPN or network that drops multicast DNS leaves them unresolved, so web pages on this machine or network cannot connect to each other directly (extension pages are not masked, which is why the panel's loopback works). Allow multicast DNS, or give the page a STUN or TURN server to connect through.",
  },
  "web-pages-limited": {
    level: "warn",
    summary: "web pages open a channel but gather no host candidates, which this extension page does",
    hint: "A WebRTC IP-handling policy or setting (default_public_interface_only, disable_non_proxied_udp) hides local addresses from web pages: peers on the same network then connect through a server or not at all.",
  },
  "web-page-works": {
    level: "pass",
    summary: "the same probe opened a data channel in the inspected web page too",
  },
  "ice-failed": {
    level: "fail",
    summary:
      "candidates were gathered but no pair connected (a firewall, or an interface dropping local UDP)",
    hint: "Candidates were gathered but no pair connected: a firewall or an interface that drops local UDP traffic is the usual cause.",
  },
  "udp-blocked": {
    level: "fail",
    summary:
      "ICE sent connectivity checks over UDP and none was answered: UDP between local addresses is dropped",
    hint: "A firewall rule or security software drops UDP on this machine. Web pages will fail the same way; allow UDP, or give them a TURN server over TCP or TLS.",
  },
  "no-candidate-pairs": {
    level: "fail",
    summary:
      "candidates were exchanged but ICE never paired them: the other peer's addresses could not be resolved, or UDP is dropped",
    hint: "Host addresses hidden behind mDNS names (.local) are resolved with multicast DNS, UDP to port 5353: a firewall that drops UDP or multicast stops that before any connectivity check, so no pair ever forms. Allow UDP (and multicast DNS), or give the page a TURN server over TCP or TLS.",
  },
  "dtls-failed": {
    level: "fail",
    summary: "ICE connected but the DTLS handshake did not complete",
    hint: "Something between the peers interferes with encrypted UDP, or the certificates were rejected.",
  },
  "sctp-failed": {
    level: "fail",
    summary: "DTLS connected but the SCTP association did not",
    hint: "Data channels run over SCTP; this is rare and points to a browser bug.",
  },
  "channel-not-opened": {
    level: "fail",
    summary: "the connection came up but the channel's open handshake did not",
    hint: "The channel's DCEP open handshake was lost; try again, and report it to the browser vendor if it repeats.",
  },
  "data-not-intact": {
    level: "fail",
    summary: "lost, reordered or corrupted data on a reliable ordered channel",
    hint: "This should never happen on a reliable channel; report it to the browser vendor with this report attached.",
  },
  "connection-lost": {
    level: "fail",
    summary:
      "the connection was lost during a run (ICE failed or stayed disconnected, or nothing arrived for seconds)",
    hint: "Something cut the path between the peers mid-run: a firewall rule, a VPN or network change, or an interface that went down. The timeline shows when ICE changed state.",
  },
  "no-throughput": {
    level: "fail",
    summary: "the throughput run delivered nothing",
    hint: "The channel opened but carried nothing: look for a channel error on the timeline.",
  },
  "throughput-failed": {
    level: "fail",
    summary: "the throughput run threw or stopped early",
    hint: "The channel closed or stalled under load: look at the timeline for a channel error or close.",
  },
  "latency-failed": {
    level: "fail",
    summary: "the latency run threw or stopped early",
    hint: "The channel closed or stalled under load: look at the timeline for a channel error or close.",
  },
  "connect-failed": {
    level: "fail",
    summary: "connecting threw with nothing more specific to say",
    hint: "Run the diagnosis again; if it repeats, attach this report to a bug report.",
  },
  "peer-connection-replaced": {
    level: "warn",
    summary: "`RTCPeerConnection` was wrapped or replaced by a page script or another extension",
    hint: "Privacy and WebRTC-blocking extensions do this; try again with extensions disabled or in a clean profile.",
  },
  "loopback-only": {
    level: "warn",
    summary:
      "the loopback connected only through loopback (127.0.0.1, ::1) candidates, which only a browser flag allows",
    hint: "This browser was started with loopback candidates allowed (diagnose --allow-loopback): a user's browser has no such flag, and web pages on this machine would gather no candidates. Bring up a network interface to test what users get.",
  },
  "no-sctp-transport": {
    level: "warn",
    summary: "no SCTP transport to ask, so 64 KiB is assumed as the message limit",
    hint: "Update the browser: Chrome and Firefox 113+ expose RTCPeerConnection.sctp.",
  },
  "no-buffered-amount-low": { level: "warn", summary: "`bufferedamountlow` events did not fire" },
  "negotiated-channel-failed": {
    level: "warn",
    summary: "a pre-negotiated channel (`negotiated: true`) did not work",
  },
  "unordered-channel-failed": { level: "warn", summary: "an unordered channel did not work" },
  "partial-reliability-failed": { level: "warn", summary: "a partially reliable channel did not work" },
  "slow-open": {
    level: "warn",
    summary: "opening the channel took longer than its threshold",
    hint: "Look at the timeline for the step that waited: ICE checks on an unreachable interface or a slow DTLS handshake.",
  },
  "low-throughput": {
    level: "warn",
    summary: "throughput was below its threshold",
    hint: "Close other heavy tabs, disable extensions that inspect WebRTC, and check the machine is not busy.",
  },
  "high-latency": {
    level: "warn",
    summary: "the p95 round trip was above its threshold",
    hint: "The page or the browser is busy: check the machine's load and other tabs.",
  },
  "small-max-message-size": {
    level: "warn",
    summary: "the SCTP `maxMessageSize` is below its threshold",
    hint: "Applications must split their messages into smaller pieces here.",
  },
  "reflexive-candidate": {
    level: "pass",
    summary: "ICE-server check: the STUN server gave a server-reflexive candidate",
  },
  "no-reflexive-candidate": {
    level: "warn",
    summary:
      "ICE-server check: no server-reflexive candidate (a warning: without a NAT there is none to find)",
  },
  "relay-connected": {
    level: "pass",
    summary: "ICE-server check: a relay-only connection through the TURN server carried data intact",
  },
  "turn-unauthorized": {
    level: "fail",
    summary: "ICE-server check: the TURN server refused the credentials (error 401 or 441)",
    hint: "Check the username and credential; time-limited credentials (TURN REST) expire and must be fetched anew.",
  },
  "turn-unreachable": {
    level: "fail",
    summary:
      "ICE-server check: the TURN server could not be reached over this transport (error 701 or no answer)",
    hint: "Check the host name and port, that the server listens on this transport, and that a firewall lets it through.",
  },
  "turn-no-relay": {
    level: "fail",
    summary:
      "ICE-server check: the TURN server answered but gave no relay address (quota, capacity or a forbidden request)",
    hint: "The error code says why: 486 is an allocation quota reached, 508 a server without capacity, 403 a request the server forbids.",
  },
  "relay-failed": {
    level: "fail",
    summary: "ICE-server check: relay candidates were gathered but a relay-only connection did not open",
    hint: "The server allocates relays but does not forward between them: check its peer-address rules (denied-peer-ip) and its relay port range in the firewall.",
  },
  "relay-udp-blocked": {
    level: "warn",
    summary: "ICE-server check: the relay works over TCP or TLS but not over UDP (UDP is blocked on the way)",
    hint: "Calls will work through TURN over TCP or TLS, with more delay; allow UDP to the TURN server for better quality.",
  },
  "relay-slow": {
    level: "warn",
    summary: "ICE-server check: throughput through the relay was under 1 Mbit/s",
    hint: "The TURN server or the path to it is slow or rate-limited; check its bandwidth limits (max-bps in coturn).",
  },
  "relay-high-latency": {
    level: "warn",
    summary: "ICE-server check: the p95 round trip through the relay was over 250 ms",
    hint: "The TURN server is far away or overloaded; a server nearer the users helps.",
  },
  "ice-server-refused": {
    level: "fail",
    summary: "ICE-server check: the browser refused the server's configuration",
    hint: "The URL or the credentials are not in a form this browser accepts.",
  },
  "page-channel-not-opened": {
    level: "fail",
    summary: "page connection: a channel of the inspected page never opened; the message names the stage",
  },
  "page-send-refused": {
    level: "fail",
    summary:
      "page connection: the browser refused some of the page's send() calls (too large, not open, queue full)",
    hint: 'Check each message against the connection\'s sctp.maxMessageSize and send only while readyState is "open".',
  },
  "page-send-buffer-high": {
    level: "warn",
    summary:
      "page connection: bufferedAmount grew past 4 MiB and the page never listens for bufferedamountlow",
    hint: "Pause sending above a high-water mark and resume on bufferedamountlow (set bufferedAmountLowThreshold); Chrome closes a channel whose queue passes 16 MiB.",
  },
  "page-channel-closed-remotely": {
    level: "warn",
    summary: "page connection: an open channel closed without the page calling close()",
    hint: "The other side closed it, or the connection under it failed: the timeline shows which came first.",
  },
  "page-no-remote-candidates": {
    level: "fail",
    summary:
      "page connection: no remote ICE candidate ever reached it (none in the remote description, no addIceCandidate)",
    hint: 'Send each candidate from the icecandidate event to the other peer and pass it to addIceCandidate there, or send the description only once gathering is "complete", so it carries them.',
  },
  "page-negotiated-id-mismatch": {
    level: "fail",
    summary:
      "page connection: a negotiated channel has one id here and another at its other end (both ends in the page), so nothing crosses it",
    hint: "Give both ends the same id: createDataChannel(label, { negotiated: true, id }) with one id on each side, or create the channel on one side only, without negotiated, and take it from the other side's datachannel event.",
  },
  "page-call-failed": {
    level: "fail",
    summary:
      "page connection: the browser rejected one of the page's calls; the message names it and gives the browser's words",
  },
  "page-signaling-stalled": {
    level: "fail",
    summary:
      "page connection: an offer was set and no answer followed (or a received offer was never answered)",
    hint: "Follow the offer through the page's signaling channel: the answer never came back, or the page did not pass it to setRemoteDescription.",
  },
  "page-turn-refused": {
    level: "fail",
    summary: "page connection: a TURN server the page configured refused its credentials (error 401 or 441)",
    hint: "Check the username and credential the page passes; time-limited credentials (TURN REST) expire and must be fetched anew.",
  },
  "page-checks-unanswered": {
    level: "fail",
    summary: "page connection: ICE sent connectivity checks on its candidate pairs and none was answered",
    hint: "No direct path between the peers: a NAT or firewall drops the checks. A TURN server (over TCP or TLS where UDP is blocked) relays when no direct path exists.",
  },
  "page-no-relay": {
    level: "fail",
    summary:
      'page connection: relay only (iceTransportPolicy "relay"), and gathering finished without a relay candidate',
    hint: "No TURN server gave an address: the candidate errors name the server and its answer (701 unreachable, 401 refused).",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof FINDINGS;

export interface Finding {
  level: FindingLevel;
  code: FindingCode;
  message: string;
  /** What to try next, where that helps. */
  hint?: string;
}

/**
 * A finding with the catalogue's level and hint; `message` defaults to the catalogue's fixed
 * message (or its summary), and `hint` replaces the catalogue's where given.
 */
/** Who reads the findings: a person at the panel, whose hints may name its buttons, or the command line. */
export type Audience = "panel" | "command-line";

export function finding(code: FindingCode, message?: string, hint?: string): Finding {
  const entry: CatalogueEntry = FINDINGS[code];
  const chosen = hint ?? entry.hint;
  return {
    level: entry.level,
    code,
    message: message ?? entry.message ?? entry.summary,
    ...(chosen ? { hint: chosen } : {}),
  };
}
