// `diagnose` where UDP is dropped from the start: a network namespace of the test's own with an
// interface up (a veth pair on TEST-NET-1) and iptables dropping every UDP packet. The stage comes
// from what ICE tried (getStats' candidate pairs), not from a stock guess.
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace } from "./cli-runner";
import { canFilterInNamespace, withInterface } from "./net/test-network";
import { schemaErrors } from "./report-schema";

const SETUP = [
  ...withInterface("u"),
  "iptables -A INPUT -p udp -j DROP",
  "iptables -A OUTPUT -p udp -j DROP",
];

const diagnoseWithoutUdp = (browser: string) =>
  runCliInNamespace(SETUP, ["--browser", browser, "--json", "--quiet"]);

describe.skipIf(!canFilterInNamespace())("diagnose where UDP is dropped", () => {
  it("chrome: udp-blocked, with the unanswered UDP checks counted (exit 1)", async () => {
    const run = await diagnoseWithoutUdp("chrome");
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const failed = report.findings.filter((f) => f.level === "fail");
    expect(failed.map((f) => f.code)).toEqual(["udp-blocked"]);
    expect(failed[0]?.message).toMatch(
      /^ICE sent \d+ connectivity checks over UDP on \d+ candidate pairs? and not one was answered/,
    );
  }, 120_000);

  it("firefox: no candidate pair ever forms (its mDNS names cannot be resolved without UDP) (exit 1)", async () => {
    // Firefox hides even the panel's host addresses behind mDNS names; with UDP dropped they are never
    // resolved, getStats shows candidates but not one pair, and no connectivity check is sent.
    const run = await diagnoseWithoutUdp("firefox");
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const failed = report.findings.filter((f) => f.level === "fail");
    expect(failed.map((f) => f.code)).toEqual(["no-candidate-pairs"]);
    expect(failed[0]?.message).toMatch(
      /^ICE failed without forming a single candidate pair from \d+ local and \d+ remote/,
    );
    expect(report.candidates.mdns).toBeGreaterThan(0);
  }, 120_000);
});
