// Web pages against this extension page: the same probe in both (engine/page/web-page-probe.ts).
// A difference is what a user's page would meet and the panel's own loopback cannot show; the
// finding names the browser's IP-handling setting and who controls it, where that could be read.
import { type Audience, FINDINGS, type Finding, finding } from "../../contract/findings";
import {
  type IpHandlingSetting,
  type IpHandlingUnread,
  mdnsUnresolved,
  type ProbeResult,
  type WebPageEvidence,
} from "../page/web-page-probe";

/** What the levels of control in the privacy API mean, in words. */
const CONTROL: Record<string, string> = {
  not_controllable: "set by an enterprise policy (WebRtcIPHandling), which nothing else can change",
  controlled_by_other_extensions: "set by another extension",
  controlled_by_this_extension: "set by this extension",
  controllable_by_this_extension: "the browser's own setting, changed by nobody",
};

/** Why the setting could not be read, in words for whoever reads the findings. */
const UNREAD: Record<IpHandlingUnread, Record<Audience, string>> = {
  "no-permissions-api": {
    panel: "the browser gives this DevTools panel no permissions API",
    "command-line": "the browser gives DevTools panels no permissions API",
  },
  "not-granted": {
    panel:
      "the panel may not read privacy settings; press “Read privacy settings” in the Diagnosis tab to allow it",
    "command-line":
      "diagnose runs without the optional privacy permission, which the browser grants only on a person's click in the panel",
  },
  "no-setting": {
    panel: "this browser has no WebRTC IP-handling setting",
    "command-line": "this browser has no WebRTC IP-handling setting",
  },
};

/** Said to a person at the panel when pressing its button would name the setting. */
const GRANT_TO_NAME =
  " To name the setting, grant the panel permission to read privacy settings (Diagnosis tab).";

export function webPageFindings(e: WebPageEvidence, audience: Audience = "panel"): Finding[] {
  const page = e.page;
  // Without a working extension page there is nothing to compare with: the loopback's own findings say why.
  if (!page || !e.extension.opened) return [];
  // A browser allowed loopback candidates (diagnose --allow-loopback) gives them to this page only:
  // web pages failing then is what loopback-only already says, not a policy.
  const x = e.extension.candidates;
  if (x.total > 0 && x.loopback === x.total) return [];
  const where = e.origin ? `A web page (${e.origin})` : "The inspected web page";
  if (!page.api) {
    return [
      finding(
        "web-pages-restricted",
        `${where} has no RTCPeerConnection, while this extension page has it: something removes WebRTC from web pages. ${cause(e.ipHandling, audience, false)}`,
        restrictedHint(undefined, e.ipHandling, audience),
      ),
    ];
  }
  if (mdnsUnresolved(page)) {
    // Not a restriction of web pages: their addresses are masked, and the masks do not resolve here.
    return [
      finding(
        "web-pages-mdns-unresolved",
        `${where} could not open a loopback data channel: it gathered ${candidates(page)} and ICE never began checking ${e.pageFirstTry ? "in either of two tries" : `in ${Math.round(page.elapsedMs / 1000)} s`} (it ended "new"): neither peer resolved the other's mDNS name. This extension page, whose addresses are not masked, gathered ${candidates(e.extension)} and opened in ${e.extension.elapsedMs} ms.`,
      ),
    ];
  }
  if (!page.opened) {
    const message = `${where} could not open a loopback data channel: it gathered ${candidates(page)} and ICE ended "${page.ice}"${page.error ? ` (${page.error})` : ""}, while this extension page gathered ${candidates(e.extension)} and opened in ${e.extension.elapsedMs} ms. ${cause(e.ipHandling, audience, true, page.candidates.total === 0)}`;
    // Not one candidate: besides a policy, a machine without a default route does this (web pages get
    // only the default route's interface), and nothing here tells the two apart.
    const base = page.candidates.total === 0 && !settingIsCause(e.ipHandling) ? NO_ADDRESS_HINT : undefined;
    return [finding("web-pages-restricted", message, restrictedHint(base, e.ipHandling, audience))];
  }
  const pageHosts = page.candidates.host + page.candidates.mdns;
  if (pageHosts === 0 && e.extension.candidates.host + e.extension.candidates.mdns > 0) {
    return [
      finding(
        "web-pages-limited",
        `${where} opened a loopback channel but gathered no host candidates (${candidates(page)}), while this extension page gathered ${candidates(e.extension)}: web pages here cannot connect directly on the local network. ${cause(e.ipHandling, audience, true)}`,
      ),
    ];
  }
  return [
    finding(
      "web-page-works",
      `${where} opened a loopback data channel too, in ${page.elapsedMs} ms, with ${candidates(page)}${e.pageFirstTry ? `, on its second try: in the first, ICE never began checking because its mDNS names did not resolve within ${Math.round(e.pageFirstTry.elapsedMs / 1000)} s (a lost multicast DNS packet does that)` : ""}.`,
    ),
  ];
}

function candidates(p: ProbeResult): string {
  const c = p.candidates;
  if (c.total === 0) return "no candidates";
  const parts = [
    c.host ? `${c.host} host` : "",
    c.mdns ? `${c.mdns} host behind mDNS names` : "",
    c.srflx ? `${c.srflx} server-reflexive` : "",
    c.relay ? `${c.relay} relay` : "",
    c.prflx ? `${c.prflx} peer-reflexive` : "",
  ].filter(Boolean);
  return `${c.total} candidate${c.total === 1 ? "" : "s"} (${parts.join(", ")})`;
}

const NO_ADDRESS_HINT =
  "Browsers give web pages only the addresses of the interface their default route uses (unless a setting allows more), so first check that this machine has a default route (`ip route` shows a `default` line). If it has, check chrome://policy (WebRtcIPHandling), the extensions that control privacy settings, and any extension that blocks WebRTC.";

/**
 * The hint (`base`, else the catalogue's), with the way to name the setting where a person at the
 * panel could grant what reading it needs; the command line is never sent to a panel button.
 */
function restrictedHint(
  base: string | undefined,
  setting: IpHandlingSetting,
  audience: Audience,
): string | undefined {
  const grantable = audience === "panel" && "unread" in setting && setting.unread === "not-granted";
  if (!grantable) return base;
  return `${base ?? FINDINGS["web-pages-restricted"].hint}${GRANT_TO_NAME}`;
}

/** The setting was read and limits web pages' addresses: then it, not the route, is the cause. */
function settingIsCause(setting: IpHandlingSetting): boolean {
  return !("unread" in setting) && setting.value !== "default";
}

/** What the IP-handling setting says about the cause; `ipRelated` when the symptom is about addresses. */
function cause(
  setting: IpHandlingSetting,
  audience: Audience,
  ipRelated: boolean,
  noAddress = false,
): string {
  if ("unread" in setting)
    return `The browser's WebRTC IP-handling setting could not be read (${UNREAD[setting.unread]?.[audience] ?? String(setting.unread)}).`;
  const control = CONTROL[setting.levelOfControl] ?? `level of control "${setting.levelOfControl}"`;
  const named = `The browser's WebRTC IP-handling setting is "${setting.value}", ${control}`;
  if (setting.value === "default" && noAddress)
    return `${named}: it is not the cause. Web pages get the addresses of the default route's interface, so a machine without a default route gives them none; so does a privacy or security extension that wraps RTCPeerConnection in web pages.`;
  if (setting.value === "default" || !ipRelated)
    return `${named}: it is not the cause, so look for a privacy or security extension that wraps RTCPeerConnection in web pages.`;
  return `${named}; extension pages are exempt from it, web pages are not.`;
}
