// What web pages experience, beside what this extension page experiences: the probe (page-probe/)
// runs in the panel's own page and, through the InspectedPage port, in the inspected web page; the
// browser's WebRTC IP-handling setting is read where the person has granted that. The page's answer
// is untrusted: it is checked field by field and only numbers, booleans and short strings are kept.

import { type ProbeSecret, sealOf } from "../../contract/probe-seal";
import type { ProbeResult } from "../../page-probe/probe";
import { abortable, errorMessage } from "../core/errors";
import type { InspectedPage } from "./page-recorder-control";

export type { ProbeResult };

/** Why the IP-handling setting could not be read; words are made where they are shown. */
export type IpHandlingUnread =
  /** Firefox gives DevTools panels no permissions API. */
  | "no-permissions-api"
  /** The optional privacy permission is not granted (only a person's click can grant it). */
  | "not-granted"
  /** This browser has no privacy API, or no WebRTC IP-handling setting in it. */
  | "no-setting";

/** The browser's WebRTC IP-handling setting (the privacy API), or why it could not be read. */
export type IpHandlingSetting = { value: string; levelOfControl: string } | { unread: IpHandlingUnread };

export interface WebPageEvidence {
  /** The inspected page's origin, as the page reports it. */
  origin: string;
  /** The probe in this extension page. */
  extension: ProbeResult;
  /** The same probe in the web page; null when it could not run there (pageError says why). */
  page: ProbeResult | null;
  /** The page's first try, when its mDNS names did not resolve and the probe ran a second time. */
  pageFirstTry?: ProbeResult;
  pageError: string | null;
  ipHandling: IpHandlingSetting;
}

/** The page probe's own deadline is 5 s; past this the page is not answering (a busy or hostile page). */
export const PAGE_PROBE_TIMEOUT_MS = 8000;
const POLL_MS = 100;

export interface WebPageProbeSetup {
  page: InspectedPage;
  /** The probe's bundled source: a function expression taking the key it leaves its state under. */
  source: string;
  /** Runs the probe here, in the extension page. */
  runHere(): Promise<ProbeResult>;
  readIpHandling(): Promise<IpHandlingSetting>;
  /** The page's bound; PAGE_PROBE_TIMEOUT_MS unless a test shortens it. */
  timeoutMs?: number;
}

export async function probeWebPage(setup: WebPageProbeSetup): Promise<WebPageEvidence> {
  const timeoutMs = setup.timeoutMs ?? PAGE_PROBE_TIMEOUT_MS;
  // One after the other: two loopbacks at once would compete for the same CPU and ports.
  let inPage: InPage = await probeInPage(setup.page, setup.source, timeoutMs);
  // One multicast DNS packet lost is enough to leave a name unresolved for good (a lossy link did
  // that once in CI, with one UDP packet in ten dropped): a second try tells a lost packet from
  // mDNS that never works here.
  const first = inPage.page;
  if (first && mdnsUnresolved(first)) {
    inPage = await probeInPage(setup.page, setup.source, timeoutMs);
    if (inPage.page) inPage = { ...inPage, pageFirstTry: first };
    else inPage = { ...inPage, page: first, pageError: null };
  }
  const extension = await setup.runHere();
  return { ...inPage, extension, ipHandling: await setup.readIpHandling() };
}

/**
 * A probe whose only candidates were host addresses behind mDNS names and whose ICE never left
 * "new": no check was ever sent or received, so neither peer resolved the other's name.
 */
export function mdnsUnresolved(p: ProbeResult): boolean {
  return (
    p.api &&
    !p.opened &&
    !p.error &&
    p.ice === "new" &&
    p.candidates.mdns > 0 &&
    p.candidates.total === p.candidates.mdns
  );
}

type InPage = Pick<WebPageEvidence, "origin" | "page" | "pageError" | "pageFirstTry">;

async function probeInPage(page: InspectedPage, source: string, timeoutMs: number): Promise<InPage> {
  const key = `__loopbackLabProbe_${Math.random().toString(36).slice(2)}`;
  const secret = newSecret();
  let origin = "";
  // One deadline for every call: a page whose main thread never yields never answers an eval.
  const deadline = AbortSignal.timeout(timeoutMs);
  const evaluate = (expression: string) => abortable(page.evaluate(expression), deadline);
  try {
    const read = await evaluate("location.origin");
    origin = typeof read === "string" ? read.slice(0, 200) : "";
    await evaluate(`(${source})(${JSON.stringify(key)}, ${JSON.stringify(secret)}); true`);
    while (!deadline.aborted) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const answer = await evaluate(
        `(function(r){return typeof r==="function"?r():null})(globalThis[${JSON.stringify(key)}])`,
      );
      if (answer !== null && answer !== undefined) {
        // Nothing is left behind in the page: its reader goes once read (best effort; a busy page answers later).
        void page.evaluate(`void delete globalThis[${JSON.stringify(key)}]`).catch(() => undefined);
        const result = unsealed(answer, secret);
        return result
          ? { origin, page: result, pageError: null }
          : {
              origin,
              page: null,
              pageError:
                "the page's answer was not the probe's own (its seal did not match): a script in the page changed it",
            };
      }
    }
    return {
      origin,
      page: null,
      pageError: `the page did not finish the probe within ${timeoutMs / 1000} s`,
    };
  } catch (error) {
    if (deadline.aborted)
      return {
        origin,
        page: null,
        pageError: `the page did not finish the probe within ${timeoutMs / 1000} s`,
      };
    return {
      origin,
      page: null,
      pageError: `the probe could not run in the page: ${errorMessage(error).slice(0, 200)}`,
    };
  }
}

function newSecret(): ProbeSecret {
  const words = crypto.getRandomValues(new Uint32Array(4));
  return [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0];
}

/** The probe's result from its sealed answer, or null if the seal is not the one `secret` makes. */
export function unsealed(answer: unknown, secret: ProbeSecret): ProbeResult | null {
  if (typeof answer !== "object" || answer === null) return null;
  const { json, seal } = answer as Record<string, unknown>;
  if (typeof json !== "string" || json.length > 10_000 || typeof seal !== "string") return null;
  if (sealOf(secret, json) !== seal) return null;
  try {
    return probeResultFrom(JSON.parse(json));
  } catch {
    return null;
  }
}

/** A probe result from an untrusted page, or null if it is not one. */
export function probeResultFrom(value: unknown): ProbeResult | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const count = (x: unknown) =>
    typeof x === "number" && Number.isInteger(x) && x >= 0 && x < 1e6 ? x : null;
  const text = (x: unknown) => (typeof x === "string" ? x.slice(0, 200) : null);
  const c = v.candidates as Record<string, unknown> | null;
  if (typeof v.api !== "boolean" || typeof v.opened !== "boolean" || typeof c !== "object" || c === null)
    return null;
  const candidates = {
    total: count(c.total),
    host: count(c.host),
    mdns: count(c.mdns),
    loopback: count(c.loopback),
    srflx: count(c.srflx),
    relay: count(c.relay),
    prflx: count(c.prflx),
  };
  const gathering = text(v.gathering);
  const ice = text(v.ice);
  const elapsedMs = count(v.elapsedMs);
  if (
    Object.values(candidates).some((n) => n === null) ||
    gathering === null ||
    ice === null ||
    elapsedMs === null
  )
    return null;
  if (v.error !== null && typeof v.error !== "string") return null;
  return {
    api: v.api,
    candidates: candidates as ProbeResult["candidates"],
    gathering,
    ice,
    opened: v.opened,
    elapsedMs,
    error: text(v.error),
  };
}
