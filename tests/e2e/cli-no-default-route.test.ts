// `diagnose` on a machine with an interface up and addressed but no default route (a veth pair on
// TEST-NET-1, no route added): browsers hand web pages only the default route's interface, and
// Firefox gathers nothing at all. Neither is a policy, and no interface is missing: the findings
// must not say so, and their hints must name the route first.
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace } from "./cli-runner";
import { canFilterInNamespace, withInterface } from "./net/test-network";
import { schemaErrors } from "./report-schema";

const NO_ROUTE = withInterface("n").filter((line) => !line.startsWith("ip route add default"));

describe.skipIf(!canFilterInNamespace())("diagnose with no default route", () => {
  it("chrome: the panel's loopback opens, web pages get no address, and the hint names the route (exit 1)", async () => {
    const run = await runCliInNamespace(NO_ROUTE, ["--browser", "chrome", "--json", "--quiet"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const findings = JSON.stringify(report.findings, null, 1);
    expect(report.findings.find((f) => f.code === "channel-open")?.level, findings).toBe("pass");
    const restricted = report.findings.find((f) => f.code === "web-pages-restricted");
    expect(restricted?.message, findings).toMatch(/it gathered no candidates/);
    expect(restricted?.hint).toMatch(
      /^Browsers give web pages only the addresses of the interface their default route uses/,
    );
    expect(run.code, run.stderr).toBe(1);
  }, 150_000);

  it("firefox: no candidates, and neither the message nor the hint says no interface is up (exit 1)", async () => {
    const run = await runCliInNamespace(NO_ROUTE, ["--browser", "firefox", "--json", "--quiet"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    const failed = report.findings.filter((f) => f.level === "fail");
    expect(
      failed.map((f) => f.code),
      JSON.stringify(failed, null, 1),
    ).toEqual(["no-interface-up"]);
    expect(failed[0]?.message).toMatch(
      /not even a host address: the browser found no network interface it will use\.$/,
    );
    // diagnose looked at the machine: an address, and no default route.
    expect(failed[0]?.hint).toMatch(
      /^This machine has an address on [\w, ]+ but no default route \(diagnose looked\): Firefox gathers nothing without one/,
    );
    expect(run.code, run.stderr).toBe(1);
  }, 150_000);
});
