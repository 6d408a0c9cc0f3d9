import { describe, expect, it } from "vitest";
import { type ProbeSecret, sealOf } from "../../../../src/contract/probe-seal";
import { webPageFindings } from "../../../../src/engine/diagnose/web-page-findings";
import type { ProbeResult, WebPageEvidence } from "../../../../src/engine/page/web-page-probe";
import { probeResultFrom, probeWebPage, unsealed } from "../../../../src/engine/page/web-page-probe";

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
  ipHandling: WebPageEvidence["ipHandling"] = { unread: "not-granted" },
) {
  return { origin: "http://127.0.0.1:8000", extension: opened, page, pageError: null, ipHandling };
}

describe("webPageFindings", () => {
  it("a web page with not one candidate, where no setting is known to limit it, names the default route first", () => {
    const [unread] = webPageFindings(evidence(nothing));
    expect(unread?.code).toBe("web-pages-restricted");
    expect(unread?.hint).toMatch(
      /^Browsers give web pages only the addresses of the interface their default route uses/,
    );
    const [plain] = webPageFindings(
      evidence(nothing, { value: "default", levelOfControl: "controllable_by_this_extension" }),
    );
    expect(plain?.message).toMatch(
      /it is not the cause\. Web pages get the addresses of the default route's interface/,
    );
    expect(plain?.hint).toMatch(/default route/);
    // A setting read that limits web pages is the cause: the catalogue's hint, about policies, stands.
    const [policy] = webPageFindings(
      evidence(nothing, { value: "disable_non_proxied_udp", levelOfControl: "not_controllable" }),
    );
    expect(policy?.hint).toMatch(/^Extension pages are exempt/);
  });

  it("a web page that gathers nothing where this page opens is web-pages-restricted, naming a policy", () => {
    const [f] = webPageFindings(
      evidence(nothing, { value: "disable_non_proxied_udp", levelOfControl: "not_controllable" }),
    );
    expect(f?.code).toBe("web-pages-restricted");
    expect(f?.level).toBe("fail");
    expect(f?.message).toMatch(/A web page \(http:\/\/127\.0\.0\.1:8000\) could not open .* no candidates/);
    expect(f?.message).toMatch(/"disable_non_proxied_udp", set by an enterprise policy \(WebRtcIPHandling\)/);
  });

  it("sends a person at the panel to its button, and the command line to none", () => {
    const atPanel = webPageFindings(evidence(nothing))[0];
    expect(atPanel?.hint).toMatch(/To name the setting, grant the panel permission .*\(Diagnosis tab\)\.$/);
    const cli = webPageFindings(evidence(nothing), "command-line")[0];
    expect(cli?.message).toMatch(
      /could not be read \(diagnose runs without the optional privacy permission, which the browser grants only on a person's click in the panel\)/,
    );
    expect(`${cli?.message} ${cli?.hint}`).not.toMatch(/Diagnosis tab|press|grant the panel/);
    // Where the panel cannot ask (Firefox's toolbox), no button is offered either.
    const firefox = webPageFindings(evidence(nothing, { unread: "no-permissions-api" }))[0];
    expect(firefox?.hint).not.toMatch(/Diagnosis tab/);
    expect(firefox?.message).toMatch(/no permissions API/);
    // A setting read needs no permission asked for.
    const read = webPageFindings(
      evidence(nothing, { value: "disable_non_proxied_udp", levelOfControl: "not_controllable" }),
    )[0];
    expect(read?.hint).not.toMatch(/Diagnosis tab/);
  });

  it("says when the setting could not be read, and blames an extension when the setting is the default", () => {
    expect(webPageFindings(evidence(nothing))[0]?.message).toMatch(
      /could not be read \(the panel may not read privacy settings; press “Read privacy settings”/,
    );
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

  it("a page whose only candidates are mDNS names and whose ICE never started is web-pages-mdns-unresolved", () => {
    const unresolved = {
      ...nothing,
      candidates: { ...nothing.candidates, total: 1, mdns: 1 },
      gathering: "complete",
    };
    const [f] = webPageFindings({ ...evidence(unresolved), pageFirstTry: unresolved });
    expect(f).toMatchObject({ code: "web-pages-mdns-unresolved", level: "fail" });
    expect(f?.message).toMatch(/1 host behind mDNS names.*never began checking in either of two tries/);
    expect(f?.hint).toMatch(/multicast DNS: UDP to 224\.0\.0\.251, port 5353/);
    // The same page with a plain host candidate, or one that checked and failed, is not that.
    const checked = { ...unresolved, ice: "failed" };
    expect(webPageFindings(evidence(checked))[0]?.code).toBe("web-pages-restricted");
    const plain = { ...unresolved, candidates: { ...unresolved.candidates, mdns: 0, host: 1 } };
    expect(webPageFindings(evidence(plain))[0]?.code).toBe("web-pages-restricted");
    // A second try that opened passes, and its message keeps the first try's evidence.
    const [second] = webPageFindings({ ...evidence(opened), pageFirstTry: unresolved });
    expect(second?.code).toBe("web-page-works");
    expect(second?.message).toMatch(/on its second try: in the first, ICE never began checking/);
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

/** The probe's answer as the probe itself seals it. */
const sealed = (result: ProbeResult, secret: ProbeSecret) => {
  const json = JSON.stringify(result);
  return { json, seal: sealOf(secret, json) };
};

describe("the probe's sealed answer", () => {
  it("is taken only with the seal its secret makes", () => {
    const secret: ProbeSecret = [1, 2, 3, 0xffffffff];
    expect(unsealed(sealed(opened, secret), secret)).toEqual(opened);
    // A page that rewrote the result, or sealed it without the secret, is refused.
    const forged = { ...sealed(opened, secret), json: JSON.stringify({ ...opened, opened: false }) };
    expect(unsealed(forged, secret)).toBeNull();
    expect(unsealed(sealed(opened, [1, 2, 3, 4]), secret)).toBeNull();
    expect(unsealed(opened, secret)).toBeNull();
    expect(unsealed(null, secret)).toBeNull();
  });

  it("a seal is 16 hex digits that change with every word of the secret and every character", () => {
    const base = sealOf([1, 2, 3, 4], "abc");
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(sealOf([1, 2, 3, 4], "abc")).toBe(base);
    for (const other of [
      sealOf([9, 2, 3, 4], "abc"),
      sealOf([1, 9, 3, 4], "abc"),
      sealOf([1, 2, 9, 4], "abc"),
      sealOf([1, 2, 3, 9], "abc"),
      sealOf([1, 2, 3, 4], "abd"),
    ])
      expect(other).not.toBe(base);
  });
});

describe("probeWebPage (bounded)", () => {
  it("gives up on a page that never answers an eval, and says so, within its deadline", async () => {
    const started = Date.now();
    const evidence = await probeWebPage({
      page: { reload: () => undefined, evaluate: () => new Promise(() => undefined) },
      source: "(function(){})",
      runHere: async () => opened,
      readIpHandling: async () => ({ unread: "not-granted" }),
      timeoutMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(evidence.page).toBeNull();
    expect(evidence.pageError).toBe("the page did not finish the probe within 0.2 s");
    expect(webPageFindings(evidence)).toEqual([]);
  });

  it("refuses an answer a script in the page changed, and says so", async () => {
    const evidence = await probeWebPage({
      page: {
        reload: () => undefined,
        evaluate: async (expression: string) => {
          if (expression === "location.origin") return "http://127.0.0.1:8000";
          if (expression.endsWith("; true") || expression.startsWith("void delete")) return true;
          return { json: JSON.stringify(opened), seal: "0000000000000000" };
        },
      },
      source: "(function(){})",
      runHere: async () => opened,
      readIpHandling: async () => ({ unread: "not-granted" }),
      timeoutMs: 1000,
    });
    expect(evidence.page).toBeNull();
    expect(evidence.pageError).toMatch(/not the probe's own \(its seal did not match\)/);
  });

  it("runs the page's probe a second time only when its mDNS names did not resolve", async () => {
    const unresolved = { ...nothing, candidates: { ...nothing.candidates, total: 1, mdns: 1 } };
    const run = async (answers: ProbeResult[]) => {
      let started = 0;
      let deleted = 0;
      let secret: ProbeSecret = [0, 0, 0, 0];
      const evidence = await probeWebPage({
        page: {
          reload: () => undefined,
          evaluate: async (expression: string) => {
            if (expression === "location.origin") return "http://127.0.0.1:8000";
            if (expression.startsWith("void delete globalThis[")) return ++deleted;
            if (expression.endsWith("; true")) {
              secret = JSON.parse(/, (\[[\d,]+\])\); true$/.exec(expression)?.[1] ?? "[]");
              return started++ >= 0;
            }
            const answer = answers[started - 1];
            return answer ? sealed(answer, secret) : null;
          },
        },
        source: "(function(){})",
        runHere: async () => opened,
        readIpHandling: async () => ({ unread: "not-granted" }),
        timeoutMs: 1000,
      });
      return { evidence, tries: started, deleted };
    };
    // The probe's state leaves the page once read, every try.
    expect(await run([opened, opened])).toMatchObject({ tries: 1, deleted: 1 });
    expect((await run([nothing, opened])).tries).toBe(1);
    const retried = await run([unresolved, opened]);
    expect(retried.tries).toBe(2);
    expect(retried.deleted).toBe(2);
    expect(retried.evidence).toMatchObject({ page: opened, pageFirstTry: unresolved });
    const twice = await run([unresolved, unresolved]);
    expect(twice.tries).toBe(2);
    expect(webPageFindings(twice.evidence)[0]?.code).toBe("web-pages-mdns-unresolved");
  });
});
