import { describe, expect, it } from "vitest";
import { webPageFindings } from "../../../../src/engine/diagnose/web-page-findings";
import type { ProbeResult, WebPageEvidence } from "../../../../src/engine/page/web-page-probe";
import { probeResultFrom, probeWebPage } from "../../../../src/engine/page/web-page-probe";

const opened: ProbeResult = {
  api: true,
  candidates: { total: 2, host: 2, mdns: 0, loopback: 0, srflx: 0, relay: 0, prflx: 0 },
  gathering: "complete",
  ice: "connected",
  opened: true,
  elapsedMs: 40,
  error: null,
};
const nothing: ProbeResult = {
  ...opened,
  candidates: { total: 0, host: 0, mdns: 0, loopback: 0, srflx: 0, relay: 0, prflx: 0 },
  ice: "new",
  opened: false,
  elapsedMs: 5000,
};

function evidence(
  page: ProbeResult | null,
  ipHandling: WebPageEvidence["ipHandling"] = { unread: "not allowed" },
) {
  return { origin: "http://127.0.0.1:8000", extension: opened, page, pageError: null, ipHandling };
}

describe("webPageFindings", () => {
  it("a web page that gathers nothing where this page opens is web-pages-restricted, naming a policy", () => {
    const [f] = webPageFindings(
      evidence(nothing, { value: "disable_non_proxied_udp", levelOfControl: "not_controllable" }),
    );
    expect(f?.code).toBe("web-pages-restricted");
    expect(f?.level).toBe("fail");
    expect(f?.message).toMatch(/A web page \(http:\/\/127\.0\.0\.1:8000\) could not open .* no candidates/);
    expect(f?.message).toMatch(/"disable_non_proxied_udp", set by an enterprise policy \(WebRtcIPHandling\)/);
  });

  it("says when the setting could not be read, and blames an extension when the setting is the default", () => {
    expect(webPageFindings(evidence(nothing))[0]?.message).toMatch(/could not be read \(not allowed\)/);
    expect(
      webPageFindings(
        evidence(nothing, { value: "default", levelOfControl: "controllable_by_this_extension" }),
      )[0]?.message,
    ).toMatch(/not the cause.*extension that wraps RTCPeerConnection/);
    expect(webPageFindings(evidence({ ...nothing, api: false }))[0]?.code).toBe("web-pages-restricted");
  });

  it("no host candidates in a page that still connects is web-pages-limited; mDNS hosts are normal", () => {
    const relayed = {
      ...opened,
      candidates: { total: 1, host: 0, mdns: 0, loopback: 0, srflx: 1, relay: 0, prflx: 0 },
    };
    expect(webPageFindings(evidence(relayed))[0]?.code).toBe("web-pages-limited");
    const masked = {
      ...opened,
      candidates: { total: 1, host: 0, mdns: 1, loopback: 0, srflx: 0, relay: 0, prflx: 0 },
    };
    expect(webPageFindings(evidence(masked))[0]).toMatchObject({ code: "web-page-works", level: "pass" });
  });

  it("leaves a loopback-only extension page to the loopback-only warning", () => {
    const loopbackOnly = { ...opened, candidates: { ...opened.candidates, loopback: 2 } };
    expect(webPageFindings({ ...evidence(nothing), extension: loopbackOnly })).toEqual([]);
  });

  it("compares nothing when the page could not be probed or this page did not open", () => {
    expect(webPageFindings(evidence(null))).toEqual([]);
    expect(webPageFindings({ ...evidence(nothing), extension: nothing })).toEqual([]);
  });
});

describe("probeResultFrom (the page's answer is untrusted)", () => {
  it("keeps a well-formed result and refuses anything else", () => {
    expect(probeResultFrom(opened)).toEqual(opened);
    expect(probeResultFrom({ ...opened, candidates: { ...opened.candidates, host: -1 } })).toBeNull();
    expect(probeResultFrom({ ...opened, opened: "yes" })).toBeNull();
    expect(probeResultFrom("<img src=x>")).toBeNull();
    expect(probeResultFrom({ ...opened, error: 5 })).toBeNull();
    expect(probeResultFrom({ ...opened, ice: "x".repeat(5000) })?.ice).toHaveLength(200);
  });
});

describe("probeWebPage (bounded)", () => {
  it("gives up on a page that never answers an eval, and says so, within its deadline", async () => {
    const started = Date.now();
    const evidence = await probeWebPage({
      page: { reload: () => undefined, evaluate: () => new Promise(() => undefined) },
      source: "(function(){})",
      runHere: async () => opened,
      readIpHandling: async () => ({ unread: "not allowed" }),
      deadlineMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(evidence.page).toBeNull();
    expect(evidence.pageError).toBe("the page did not finish the probe within 0.2 s");
    expect(webPageFindings(evidence)).toEqual([]);
  });
});
