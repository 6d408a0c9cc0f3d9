// Multicast DNS dropped (UDP to port 5353), everything else open. Browsers hide a web page's host
// addresses behind mDNS names; Chrome does not hide an extension page's, Firefox hides both. So in
// Chrome the panel's loopback opens while the web page's never starts checking, and in Firefox the
// loopback itself forms no pair: each is named for mDNS, not for a policy or a firewall on UDP.
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace } from "./cli-runner";
import { canFilterInNamespace, withInterface } from "./net/test-network";
import { schemaErrors } from "./report-schema";

const mdnsDropped = () => [...withInterface("d"), "iptables -A OUTPUT -p udp --dport 5353 -j DROP"];

describe.skipIf(!canFilterInNamespace())("diagnose with multicast DNS dropped", () => {
  it("chrome: the panel's loopback opens, the web page's mDNS names never resolve (fail, exit 1)", async () => {
    const run = await runCliInNamespace(mdnsDropped(), ["--browser", "chrome", "--json", "--quiet"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.findings.find((f) => f.code === "channel-open")?.level).toBe("pass");
    expect(report.webPage?.extension).toMatchObject({ opened: true, candidates: { mdns: 0 } });
    // Tried twice, in case one lost packet was the cause; both tries gathered mDNS names only.
    for (const page of [report.webPage?.pageFirstTry, report.webPage?.page]) {
      expect(page).toMatchObject({ api: true, opened: false, ice: "new", error: null });
      expect(page?.candidates.mdns).toBeGreaterThan(0);
      expect(page?.candidates.total).toBe(page?.candidates.mdns);
    }
    const failed = report.findings.filter((f) => f.level === "fail");
    expect(failed.map((f) => f.code)).toEqual(["web-pages-mdns-unresolved"]);
    expect(failed[0]?.message).toMatch(/never began checking in either of two tries/);
    expect(report.verdict).toBe("fail");
  }, 150_000);

  it("firefox: the loopback forms no pair, and the hint names multicast DNS (fail, exit 1)", async () => {
    const run = await runCliInNamespace(mdnsDropped(), ["--browser", "firefox", "--json", "--quiet"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const failed = report.findings.filter((f) => f.level === "fail");
    expect(failed.map((f) => f.code)).toEqual(["no-candidate-pairs"]);
    expect(failed[0]?.hint).toMatch(/multicast DNS/);
    expect(report.verdict).toBe("fail");
  }, 150_000);
});
