// `diagnose` where UDP is dropped from the start: a network namespace of the test's own with an
// interface up (a veth pair on TEST-NET-1) and iptables dropping every UDP packet. The stage comes
// from what ICE tried (getStats' candidate pairs), not from a stock guess.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace, schemaErrors } from "./report-checks";

const SETUP = [
  "ip link set lo up",
  "ip link add u0 type veth peer name u1",
  "ip link set u1 up",
  "ip addr add 192.0.2.1/24 dev u0",
  "ip link set u0 up",
  "ip route add default dev u0",
  "iptables -A INPUT -p udp -j DROP",
  "iptables -A OUTPUT -p udp -j DROP",
];

function canFilter(): boolean {
  if (!canIsolateNetwork()) return false;
  try {
    execFileSync("unshare", ["-n", "iptables", "-S"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const diagnoseWithoutUdp = (browser: string) =>
  runCliInNamespace(SETUP, ["--browser", browser, "--json", "--quiet"]);

describe.skipIf(!canFilter())("diagnose where UDP is dropped", () => {
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

  it("firefox: the channel does not open, and the finding stays at the ICE stage (exit 1)", async () => {
    const run = await diagnoseWithoutUdp("firefox");
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.findings.filter((f) => f.level === "fail").map((f) => f.code)).toEqual(["ice-failed"]);
  }, 120_000);
});
