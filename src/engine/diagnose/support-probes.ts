// The support checks that need an open connection: each channel kind, its events and statistics,
// tried on the loopback session. A feature counts as supported only once it worked here.
import { abortable, errorText, LabError } from "../core/errors";
import { maxChannelsOf, maxMessageSizeOf, sctpOf } from "../core/platform";
import type { LoopbackSession } from "../session/loopback-session";
import { CONNECTION_CHECK_IDS, check, notChecked, type SupportCheck, type SupportCheckId } from "./support";

export function connectionChecksNotRun(reason: string): SupportCheck[] {
  return CONNECTION_CHECK_IDS.map((id) => notChecked(id, reason));
}

/** How long one probe may take at least before it counts as not working. Loopback answers in milliseconds. */
export const PROBE_TIMEOUT_MS = 3000;
/** On a slow path a probe may take this many round trips (SCTP's slow start, a queue ahead of it). */
export const PROBE_ROUND_TRIPS = 30;

/** A probe's bound for a path whose round trip took `rttMs`: never less than PROBE_TIMEOUT_MS. */
export function probeTimeoutFor(rttMs: number): number {
  return Math.round(Math.max(PROBE_TIMEOUT_MS, PROBE_ROUND_TRIPS * (Number.isFinite(rttMs) ? rttMs : 0)));
}

const PROBE_MESSAGES = 8;
const BUFFERED_LOW_MESSAGES = 2;

/** What a probe may read of the connection it runs on. */
interface ProbeContext {
  session: LoopbackSession;
  maxMessageSize: number;
  maxChannels: number | null;
}

/** The probes, in order: each tries one feature on the open connection. */
const PROBES: readonly [SupportCheckId, (c: ProbeContext) => Probe][] = [
  ["buffered-amount-low", (c) => (_, abandoned) => bufferedAmountLow(c.session, c.maxMessageSize, abandoned)],
  [
    "negotiated-channel",
    (c) => (timeoutMs, abandoned) => negotiated(c.session, c.maxChannels, timeoutMs, abandoned),
  ],
  ["unordered-channel", (c) => (timeoutMs, abandoned) => unordered(c.session, timeoutMs, abandoned)],
  [
    "partial-reliability",
    (c) => (timeoutMs, abandoned) => partialReliability(c.session, timeoutMs, abandoned),
  ],
  ["data-channel-stats", (c) => (timeoutMs, abandoned) => dataChannelStats(c.session, timeoutMs, abandoned)],
];

/** How many probes run with a bound of their own (the diagnosis's step bound counts them). */
export const CONNECTION_PROBES = PROBES.length;

export async function connectionChecks(session: LoopbackSession): Promise<SupportCheck[]> {
  const sctp = sctpOf(session.local);
  const context = {
    session,
    maxMessageSize: maxMessageSizeOf(session.local),
    maxChannels: maxChannelsOf(session.local),
  };
  // Opening a channel takes one round trip (DCEP's open and ack): the probes wait in proportion to it.
  const rttMs = await channelOpenTime(session);
  const timeoutMs = probeTimeoutFor(rttMs);
  const checks: SupportCheck[] = [
    check(
      "sctp-transport",
      sctp !== null,
      sctp
        ? `maxMessageSize ${context.maxMessageSize} bytes, maxChannels ${context.maxChannels ?? "not exposed"}; a channel opened in ${rttMs.toFixed(1)} ms, so each probe waited up to ${timeoutMs} ms (twice that on a second try)`
        : "RTCPeerConnection.sctp is missing",
      sctp ? context.maxMessageSize : undefined,
    ),
  ];
  for (const [id, probe] of PROBES) checks.push(await probeWithin(timeoutMs, id, probe(context)));
  return checks;
}

async function unordered(
  session: LoopbackSession,
  timeoutMs: number,
  abandoned: AbortSignal,
): Promise<ProbeOutcome> {
  const [send, receive] = closeOnAbort(
    abandoned,
    await session.openExtraChannel("support-unordered", { ordered: false }),
  );
  try {
    if (send.ordered || receive.ordered) return failed("the channel reports ordered = true");
    const waitMs = timeoutMs - 500;
    return arrivals(await roundTrip(send, receive, PROBE_MESSAGES, waitMs), waitMs);
  } finally {
    send.close();
  }
}

/** What one probe found: the feature worked (and how), or why it did not. */
export type ProbeOutcome = { ok: true; detail: string } | { ok: false; why: string };

const worked = (detail: string): ProbeOutcome => ({ ok: true, detail });
const failed = (why: string): ProbeOutcome => ({ ok: false, why });

/**
 * One probe. `abandoned` aborts when the try runs out of its time; the probe's channels close with
 * it (`closeOnAbort`).
 */
export type Probe = (timeoutMs: number, abandoned: AbortSignal) => Promise<ProbeOutcome>;

/**
 * The try's channels, closed when it is abandoned, so a probe that ran out of time leaves nothing
 * open behind it. A try already abandoned closes them at once and ends there.
 */
export function closeOnAbort<T extends readonly RTCDataChannel[]>(abandoned: AbortSignal, channels: T): T {
  const close = () => {
    for (const channel of channels) channel.close();
  };
  if (abandoned.aborted) {
    close();
    throw abandoned.reason;
  }
  abandoned.addEventListener("abort", close, { once: true });
  return channels;
}

/**
 * A probe that does not answer within its time gets a second try with twice the time: on a
 * path that loses packets, opening a channel can wait out SCTP's retransmission timeout (Firefox
 * with one UDP packet in ten dropped ran past 3 s), and that is the path's fault, not the feature's.
 */
export async function probeWithin(timeoutMs: number, id: SupportCheckId, run: Probe): Promise<SupportCheck> {
  try {
    const outcome = (await attempt(run, timeoutMs)) ?? (await secondTry(run, timeoutMs));
    return outcome.ok ? check(id, true, outcome.detail) : check(id, false, outcome.why);
  } catch (error) {
    if (error instanceof LabError && error.code === "cancelled") return notChecked(id, error.message);
    return check(id, false, `threw ${errorText(error)}`);
  }
}

async function secondTry(run: Probe, timeoutMs: number): Promise<ProbeOutcome> {
  const second = await attempt(run, 2 * timeoutMs);
  const late = `(a first try had no answer within ${timeoutMs} ms)`;
  if (second === null)
    return failed(`no answer within ${timeoutMs} ms, nor within ${2 * timeoutMs} ms on a second try`);
  return second.ok ? worked(`${second.detail} ${late}`) : failed(`${second.why} ${late}`);
}

/** The probe's outcome, or null when it had none within `timeoutMs` (then the try is abandoned). */
async function attempt(run: Probe, timeoutMs: number): Promise<ProbeOutcome | null> {
  const abandon = new AbortController();
  const timer = setTimeout(
    () => abandon.abort(new LabError("timeout", `no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    return await abortable(run(timeoutMs, abandon.signal), abandon.signal);
  } catch (error) {
    if (abandon.signal.aborted && error === abandon.signal.reason) return null;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** ms to open a channel pair: one round trip on the path, plus a little of the browser's own time. */
async function channelOpenTime(session: LoopbackSession): Promise<number> {
  const started = performance.now();
  try {
    const [send] = await session.openExtraChannel("support-round-trip", {});
    send.close();
    return performance.now() - started;
  } catch {
    return 0;
  }
}

/**
 * What a reliable probe channel delivered within its wait. One message proves the channel carries
 * data; the rest may still be in SCTP's retransmission on a path that loses packets (seconds, where
 * the retransmission timeout backs off), which is the path's fault, not the feature's. Delivery
 * itself is what the throughput run's integrity checks judge.
 */
export function arrivals(arrived: number, waitMs: number): ProbeOutcome {
  if (arrived === PROBE_MESSAGES) return worked(`${arrived} of ${arrived} messages arrived`);
  if (arrived === 0) return failed(`no message arrived within ${waitMs} ms`);
  return worked(
    `${arrived} of ${PROBE_MESSAGES} messages arrived within ${waitMs} ms; the rest were late (resent after loss?)`,
  );
}

/** Sends `count` small numbered messages and resolves with how many arrived within `waitMs`. */
function roundTrip(
  send: RTCDataChannel,
  receive: RTCDataChannel,
  count: number,
  waitMs: number,
): Promise<number> {
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
    const timer = setTimeout(finish, waitMs);
    receive.addEventListener("message", onMessage);
    for (let i = 0; i < count; i++) send.send(`probe ${i}`);
  });
}

async function bufferedAmountLow(
  session: LoopbackSession,
  maxMessageSize: number,
  abandoned: AbortSignal,
): Promise<ProbeOutcome> {
  const [send] = closeOnAbort(abandoned, await session.openExtraChannel("support-buffered-low", {}));
  try {
    send.bufferedAmountLowThreshold = 0;
    // A channel closed under it (its try abandoned) ends the wait too.
    const fired = new Promise<boolean>((resolve) => {
      send.addEventListener("bufferedamountlow", () => resolve(true), { once: true });
      send.addEventListener("close", () => resolve(false), { once: true });
    });
    // Any queued byte draining fires it; a little keeps the probe quick on a slow link (128 KiB
    // took 4 s at 256 kbit/s, and 32 KiB 8 s at 32 kbit/s, past the probe's bound, with the next
    // probes' messages queued behind it).
    const payload = new Uint8Array(Math.min(1024, maxMessageSize));
    for (let i = 0; i < BUFFERED_LOW_MESSAGES; i++) send.send(payload);
    const queued = send.bufferedAmount;
    if (!(await fired)) return failed("the channel closed before bufferedamountlow fired");
    return worked(`fired after ${queued} bytes were queued and drained`);
  } finally {
    send.close();
  }
}

async function negotiated(
  session: LoopbackSession,
  maxChannels: number | null,
  timeoutMs: number,
  abandoned: AbortSignal,
): Promise<ProbeOutcome> {
  // A fixed id both sides agree on out of band; pick one well clear of the ids the browser hands
  // out in order to in-band channels, and below the negotiated channel limit.
  const highest = (maxChannels ?? 1024) - 1;
  let lastError: unknown;
  for (const id of [1001, 701, 401, 201, 99].filter((candidate) => candidate <= highest)) {
    let send: RTCDataChannel | undefined;
    let receive: RTCDataChannel;
    try {
      send = session.local.createDataChannel("support-negotiated", { negotiated: true, id });
      receive = session.remote.createDataChannel("support-negotiated", { negotiated: true, id });
    } catch (error) {
      // That id is taken on this connection: try another.
      send?.close();
      lastError = error;
      continue;
    }
    closeOnAbort(abandoned, [send, receive]);
    try {
      await Promise.all([opened(send), opened(receive)]);
      const waitMs = timeoutMs - 500;
      const outcome = arrivals(await roundTrip(send, receive, PROBE_MESSAGES, waitMs), waitMs);
      return outcome.ok ? worked(`id ${id}, ${outcome.detail}`) : failed(`id ${id}: ${outcome.why}`);
    } finally {
      send.close();
      receive.close();
    }
  }
  return failed(`no free channel id could be used: ${errorText(lastError)}`);
}

async function partialReliability(
  session: LoopbackSession,
  timeoutMs: number,
  abandoned: AbortSignal,
): Promise<ProbeOutcome> {
  const asked = [
    { label: "support-max-retransmits", init: { ordered: false, maxRetransmits: 0 } },
    { label: "support-max-lifetime", init: { ordered: false, maxPacketLifeTime: 1000 } },
  ];
  const parts: string[] = [];
  for (const { label, init } of asked) {
    const [send, receive] = closeOnAbort(abandoned, await session.openExtraChannel(label, init));
    try {
      const key = "maxRetransmits" in init ? "maxRetransmits" : "maxPacketLifeTime";
      const wanted = key === "maxRetransmits" ? init.maxRetransmits : init.maxPacketLifeTime;
      if (send[key] !== wanted || receive[key] !== wanted)
        return failed(`${key} ${wanted} was asked for; the ends report ${send[key]} and ${receive[key]}`);
      // Unreliable by design (a lossy path loses some for good, and the wait runs out): one arrival
      // proves the path. Two such waits, and two channel openings, fit in the probe's bound.
      const arrived = await roundTrip(send, receive, PROBE_MESSAGES, timeoutMs / 4);
      if (arrived === 0) return failed(`${key} ${wanted}: no message arrived within ${timeoutMs / 4} ms`);
      parts.push(`${key} ${wanted}: ${arrived} of ${PROBE_MESSAGES} arrived`);
    } finally {
      send.close();
    }
  }
  return worked(parts.join("; "));
}

async function dataChannelStats(
  session: LoopbackSession,
  timeoutMs: number,
  abandoned: AbortSignal,
): Promise<ProbeOutcome> {
  const [send, receive] = closeOnAbort(abandoned, await session.openExtraChannel("support-stats", {}));
  try {
    // Half the bound: getStats() must still fit in it when a lossy path leaves a message late.
    const arrived = await roundTrip(send, receive, PROBE_MESSAGES, timeoutMs / 2);
    const stats = await session.local.getStats();
    let found: Record<string, unknown> | undefined;
    stats.forEach((report: Record<string, unknown>) => {
      if (report.type === "data-channel" && report.label === "support-stats") found = report;
    });
    if (!found) return failed('getStats() has no "data-channel" report for the channel');
    const sent = found.messagesSent;
    if (typeof sent !== "number") return failed('"data-channel" report lacks messagesSent');
    if (sent < arrived)
      return failed(`"data-channel" report counts ${sent} messages sent; ${arrived} arrived`);
    return worked(`"data-channel" report with messagesSent ${sent}, bytesSent ${String(found.bytesSent)}`);
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
