// What this browser's WebRTC data channels can do, found by actually trying each feature rather
// than by reading the user-agent string: a feature counts as supported only once it worked here.
// The API checks need no connection; the channel checks run on an open loopback session.
// Which missing feature matters how much (fail, warn, or merely a difference) is decided in
// supportFindings() below, pure so it is tested without a browser.

import type { Finding } from "../../contract/findings";
import { errorText, LabError } from "../core/errors";
import { maxChannelsOf, maxMessageSizeOf, sctpOf } from "../core/platform";
import type { LoopbackSession } from "../session/loopback-session";

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

type Severity =
  | { level: "fail" | "warn"; code: string; message: string; hint?: string }
  | { level: "difference" };

/**
 * What a "no" means. Only what stops data channels from working fails; what breaks common
 * application patterns warns; the rest are differences between browsers, shown in the report
 * but no reason to worry (data-channel statistics are not implemented everywhere, for one).
 */
const SEVERITY: Record<SupportCheckId, Severity> = {
  "rtc-peer-connection": {
    level: "fail",
    code: "no-rtcpeerconnection",
    message: "This browser has no RTCPeerConnection, so WebRTC is not available here at all.",
    hint: "WebRTC may be disabled by a browser setting, an enterprise policy or an extension (media.peerconnection.enabled in Firefox).",
  },
  "native-peer-connection": {
    level: "warn",
    code: "peer-connection-replaced",
    message:
      "RTCPeerConnection has been replaced or wrapped by a script, so these results describe that wrapper, not the browser.",
    hint: "Privacy and WebRTC-blocking extensions do this; try again with extensions disabled or in a clean profile.",
  },
  "data-channel": {
    level: "fail",
    code: "no-data-channels",
    message: "This browser's RTCPeerConnection cannot create data channels.",
    hint: "Data channels may be disabled by a browser setting or policy.",
  },
  "binary-type": { level: "difference" },
  "sctp-transport": {
    level: "warn",
    code: "no-sctp-transport",
    message:
      "The connection exposes no SCTP transport, so the largest message size is unknown and 64 KiB is assumed.",
    hint: "Update the browser: Chrome and Firefox 113+ expose RTCPeerConnection.sctp.",
  },
  "buffered-amount-low": {
    level: "warn",
    code: "no-buffered-amount-low",
    message:
      "bufferedamountlow events did not fire, so applications that pace their sending with them will stall.",
  },
  "negotiated-channel": {
    level: "warn",
    code: "negotiated-channel-failed",
    message: "A pre-negotiated data channel (negotiated: true with a fixed id) did not carry messages.",
  },
  "unordered-channel": {
    level: "warn",
    code: "unordered-channel-failed",
    message: "An unordered data channel (ordered: false) did not carry messages.",
  },
  "partial-reliability": {
    level: "warn",
    code: "partial-reliability-failed",
    message:
      "A partially reliable data channel (maxRetransmits or maxPacketLifeTime) did not open as asked or did not carry messages.",
  },
  "data-channel-stats": { level: "difference" },
};

/** The findings a support result gives: one per missing feature that matters. */
export function supportFindings(support: SupportResult): Finding[] {
  const findings: Finding[] = [];
  for (const check of support.checks) {
    if (check.status !== "no") continue;
    const severity = SEVERITY[check.id];
    if (severity.level === "difference") continue;
    findings.push({
      level: severity.level,
      code: severity.code,
      message: `${severity.message} (${check.detail})`,
      ...(severity.hint ? { hint: severity.hint } : {}),
    });
  }
  return findings;
}

/** The finding codes support checks can produce, for the README and the tests. */
export const SUPPORT_FINDING_CODES = Object.values(SEVERITY).flatMap((s) =>
  s.level === "difference" ? [] : [s.code],
);

const NATIVE_SOURCE = /^function\s*[\w$]*\s*\(\)\s*\{\s*\[native code\]\s*\}$/;

/** True when the function's source is the engine's "[native code]" placeholder, i.e. not a script's. */
export function isNativeFunction(fn: unknown, sourceOf: (this: unknown) => string): boolean {
  if (typeof fn !== "function") return false;
  try {
    return NATIVE_SOURCE.test(sourceOf.call(fn));
  } catch {
    return false;
  }
}

/** What a native-ness check looks at; the page's globals in the panel, fakes in unit tests. */
export interface NativeScope {
  RTCPeerConnection?: unknown;
  EventTarget: unknown;
  functionToString: (this: unknown) => string;
}

/**
 * Reasons to believe RTCPeerConnection is not the browser's own: a script's source, a broken
 * prototype chain, methods swapped out. A Proxy around the native constructor passes (engines
 * report proxies as native code); no check from inside the page can see through that.
 */
export function nativeProblems(scope: NativeScope): string[] {
  const { functionToString } = scope;
  const problems: string[] = [];
  // A replaced toString can claim anything is native, itself included: it must also call one of
  // our own functions a script's.
  const probe = () => undefined;
  if (!isNativeFunction(functionToString, functionToString) || isNativeFunction(probe, functionToString))
    return ["Function.prototype.toString itself is replaced, so nothing can be verified"];
  const pc = scope.RTCPeerConnection;
  if (typeof pc !== "function") return ["RTCPeerConnection is not a function"];
  if (!isNativeFunction(pc, functionToString)) problems.push("RTCPeerConnection is a script's function");
  if (pc.name !== "RTCPeerConnection") problems.push(`the constructor is named "${pc.name}"`);
  const prototype: unknown = pc.prototype;
  if (typeof prototype !== "object" || prototype === null) {
    problems.push("RTCPeerConnection.prototype is missing");
    return problems;
  }
  if ((prototype as { constructor?: unknown }).constructor !== pc)
    problems.push("RTCPeerConnection.prototype.constructor points elsewhere");
  const eventTarget = scope.EventTarget as { prototype?: unknown } | undefined;
  if (Object.getPrototypeOf(prototype) !== eventTarget?.prototype)
    problems.push("RTCPeerConnection.prototype does not inherit from EventTarget.prototype");
  for (const method of ["createDataChannel", "createOffer", "setLocalDescription", "addIceCandidate"]) {
    const fn = Object.getOwnPropertyDescriptor(prototype, method)?.value;
    if (!isNativeFunction(fn, functionToString))
      problems.push(`RTCPeerConnection.prototype.${method} is replaced`);
  }
  return problems;
}

function check(id: SupportCheckId, ok: boolean, detail: string, value?: string | number): SupportCheck {
  if (!ok) return { id, status: "no", detail };
  return value === undefined ? { id, status: "yes", detail } : { id, status: "yes", detail, value };
}

function notChecked(id: SupportCheckId, detail: string): SupportCheck {
  return { id, status: "not-checked", detail };
}

/** The checks that need no connection: is WebRTC here, is it the browser's own, can it make channels. */
export function apiChecks(): SupportCheck[] {
  const present = typeof globalThis.RTCPeerConnection === "function";
  const checks: SupportCheck[] = [
    check(
      "rtc-peer-connection",
      present,
      present ? "window.RTCPeerConnection is a constructor" : "window.RTCPeerConnection is missing",
    ),
  ];
  if (!present) {
    for (const id of ["native-peer-connection", "data-channel", "binary-type"] as const)
      checks.push(notChecked(id, "no RTCPeerConnection"));
    return checks;
  }
  const problems = nativeProblems({
    RTCPeerConnection: globalThis.RTCPeerConnection,
    EventTarget: globalThis.EventTarget,
    functionToString: Function.prototype.toString,
  });
  checks.push(
    check(
      "native-peer-connection",
      problems.length === 0,
      problems.length === 0 ? "native code, prototype chain intact" : problems.join("; "),
    ),
  );
  let pc: RTCPeerConnection | undefined;
  try {
    pc = new RTCPeerConnection();
    const channel = pc.createDataChannel("support-probe");
    const isInstance = typeof RTCDataChannel === "function" && channel instanceof RTCDataChannel;
    checks.push(
      check(
        "data-channel",
        isInstance,
        isInstance
          ? "createDataChannel() returned an RTCDataChannel"
          : "createDataChannel() returned something else",
      ),
    );
    checks.push(
      check(
        "binary-type",
        true,
        `a new channel starts with binaryType "${channel.binaryType}"`,
        channel.binaryType,
      ),
    );
  } catch (error) {
    checks.push(check("data-channel", false, `createDataChannel() threw ${errorText(error)}`));
    checks.push(notChecked("binary-type", "no data channel"));
  } finally {
    pc?.close();
  }
  return checks;
}

export function connectionChecksNotRun(reason: string): SupportCheck[] {
  return CONNECTION_CHECK_IDS.map((id) => notChecked(id, reason));
}

/** How long one probe may take before it counts as not working. Loopback answers in milliseconds. */
const PROBE_TIMEOUT_MS = 3000;
const PROBE_MESSAGES = 8;

export async function connectionChecks(session: LoopbackSession): Promise<SupportCheck[]> {
  const checks: SupportCheck[] = [];
  const sctp = sctpOf(session.local);
  const maxMessageSize = maxMessageSizeOf(session.local);
  const maxChannels = maxChannelsOf(session.local);
  checks.push(
    check(
      "sctp-transport",
      sctp !== null,
      sctp
        ? `maxMessageSize ${maxMessageSize} bytes, maxChannels ${maxChannels ?? "not exposed"}`
        : "RTCPeerConnection.sctp is missing",
      sctp ? maxMessageSize : undefined,
    ),
  );
  checks.push(await probe("buffered-amount-low", () => bufferedAmountLow(session, maxMessageSize)));
  checks.push(await probe("negotiated-channel", () => negotiated(session, maxChannels)));
  checks.push(
    await probe("unordered-channel", async () => {
      const [send, receive] = await session.openExtraChannel("support-unordered", { ordered: false });
      try {
        if (send.ordered || receive.ordered) return "the channel reports ordered = true";
        const arrived = await roundTrip(send, receive, PROBE_MESSAGES);
        return arrived === PROBE_MESSAGES
          ? okText(arrived)
          : `${arrived} of ${PROBE_MESSAGES} messages arrived`;
      } finally {
        send.close();
      }
    }),
  );
  checks.push(await probe("partial-reliability", () => partialReliability(session)));
  checks.push(await probe("data-channel-stats", () => dataChannelStats(session)));
  return checks;
}

/** A probe resolves to a string: starting with "ok:" it worked (the rest is the detail); otherwise why not. */
async function probe(id: SupportCheckId, run: () => Promise<string>): Promise<SupportCheck> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([run(), timeout]);
    return outcome.startsWith("ok:") ? check(id, true, outcome.slice(3).trim()) : check(id, false, outcome);
  } catch (error) {
    if (error instanceof LabError && error.code === "cancelled") return notChecked(id, error.message);
    return check(id, false, `threw ${errorText(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

const okText = (arrived: number) => `ok: ${arrived} of ${arrived} messages arrived`;

/** Sends `count` small numbered messages and resolves with how many arrived (waiting at most the probe timeout). */
function roundTrip(send: RTCDataChannel, receive: RTCDataChannel, count: number): Promise<number> {
  return new Promise((resolve) => {
    let arrived = 0;
    const onMessage = () => {
      arrived++;
      if (arrived === count) finish();
    };
    const finish = () => {
      clearTimeout(timer);
      receive.removeEventListener("message", onMessage);
      resolve(arrived);
    };
    const timer = setTimeout(finish, PROBE_TIMEOUT_MS - 500);
    receive.addEventListener("message", onMessage);
    for (let i = 0; i < count; i++) send.send(`probe ${i}`);
  });
}

async function bufferedAmountLow(session: LoopbackSession, maxMessageSize: number): Promise<string> {
  const [send] = await session.openExtraChannel("support-buffered-low", {});
  try {
    send.bufferedAmountLowThreshold = 0;
    const fired = new Promise<void>((resolve) =>
      send.addEventListener("bufferedamountlow", () => resolve(), { once: true }),
    );
    const payload = new Uint8Array(Math.min(16_384, maxMessageSize));
    for (let i = 0; i < PROBE_MESSAGES; i++) send.send(payload);
    const queued = send.bufferedAmount;
    await fired;
    return `ok: fired after ${queued} bytes were queued and drained`;
  } finally {
    send.close();
  }
}

async function negotiated(session: LoopbackSession, maxChannels: number | null): Promise<string> {
  // A fixed id both sides agree on out of band; pick one well clear of the ids the browser hands
  // out in order to in-band channels, and below the negotiated channel limit.
  const highest = (maxChannels ?? 1024) - 1;
  let lastError: unknown;
  for (const id of [1001, 701, 401, 201, 99].filter((candidate) => candidate <= highest)) {
    let send: RTCDataChannel;
    let receive: RTCDataChannel;
    try {
      send = session.local.createDataChannel("support-negotiated", { negotiated: true, id });
      receive = session.remote.createDataChannel("support-negotiated", { negotiated: true, id });
    } catch (error) {
      // That id is taken on this connection: try another.
      lastError = error;
      continue;
    }
    try {
      await Promise.all([opened(send), opened(receive)]);
      const arrived = await roundTrip(send, receive, PROBE_MESSAGES);
      return arrived === PROBE_MESSAGES
        ? `ok: id ${id}, ${arrived} of ${arrived} messages arrived`
        : `id ${id}: ${arrived} of ${PROBE_MESSAGES} messages arrived`;
    } finally {
      send.close();
      receive.close();
    }
  }
  return `no free channel id could be used: ${errorText(lastError)}`;
}

async function partialReliability(session: LoopbackSession): Promise<string> {
  const asked = [
    { label: "support-max-retransmits", init: { ordered: false, maxRetransmits: 0 } },
    { label: "support-max-lifetime", init: { ordered: false, maxPacketLifeTime: 1000 } },
  ];
  const parts: string[] = [];
  for (const { label, init } of asked) {
    const [send, receive] = await session.openExtraChannel(label, init);
    try {
      const key = "maxRetransmits" in init ? "maxRetransmits" : "maxPacketLifeTime";
      const wanted = key === "maxRetransmits" ? init.maxRetransmits : init.maxPacketLifeTime;
      if (send[key] !== wanted || receive[key] !== wanted)
        return `${key} ${wanted} was asked for; the ends report ${send[key]} and ${receive[key]}`;
      // Unreliable by design, but loopback loses nothing in practice: one arrival proves the path.
      const arrived = await roundTrip(send, receive, PROBE_MESSAGES);
      if (arrived === 0) return `${key} ${wanted}: no message arrived`;
      parts.push(`${key} ${wanted}: ${arrived} of ${PROBE_MESSAGES} arrived`);
    } finally {
      send.close();
    }
  }
  return `ok: ${parts.join("; ")}`;
}

async function dataChannelStats(session: LoopbackSession): Promise<string> {
  const [send, receive] = await session.openExtraChannel("support-stats", {});
  try {
    const arrived = await roundTrip(send, receive, PROBE_MESSAGES);
    const stats = await session.local.getStats();
    let found: Record<string, unknown> | undefined;
    stats.forEach((report: Record<string, unknown>) => {
      if (report.type === "data-channel" && report.label === "support-stats") found = report;
    });
    if (!found) return 'getStats() has no "data-channel" report for the channel';
    const sent = found.messagesSent;
    if (typeof sent !== "number") return '"data-channel" report lacks messagesSent';
    if (sent < arrived) return `"data-channel" report counts ${sent} messages sent; ${arrived} arrived`;
    return `ok: "data-channel" report with messagesSent ${sent}, bytesSent ${String(found.bytesSent)}`;
  } finally {
    send.close();
  }
}

function opened(channel: RTCDataChannel): Promise<void> {
  if (channel.readyState === "open") return Promise.resolve();
  return new Promise((resolve, reject) => {
    channel.addEventListener("open", () => resolve(), { once: true });
    channel.addEventListener("close", () => reject(new Error(`channel ${channel.id} closed`)), {
      once: true,
    });
  });
}
