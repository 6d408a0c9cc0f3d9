// `diagnose` on a machine where loopback is the only interface (a network namespace of the test's
// own with only lo up). By default the browser is started as users have it, without loopback
// candidates, and the verdict is what a user's browser would get: no candidates. --allow-loopback
// lets Chrome use 127.0.0.1; the channel then opens, the report says how the browser was started,
// and the loopback-only warning says that users would not get this. Firefox gathers nothing without
// a non-loopback interface and a default route, its loopback pref or not.
import { describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace } from "./cli-runner";
import { schemaErrors } from "./report-schema";

const reason = canIsolateNetwork() ? "" : "needs root and unshare(1) for a network namespace";

/** The command in a network namespace with only loopback up. */
const diagnoseLoopbackOnly = (args: string[]) => runCliInNamespace(["ip link set lo up"], args);

describe.skipIf(reason)("diagnose where loopback is the only interface", () => {
  for (const browser of ["chrome", "firefox"] as const) {
    it(`${browser}: by default it finds no candidates, as a user's browser would (exit 1)`, async () => {
      const run = await diagnoseLoopbackOnly(["--browser", browser, "--json", "--quiet"]);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      expect(schemaErrors(report)).toEqual([]);
      expect(report.verdict).toBe("fail");
      // diagnose looked at the machine: only loopback has an address, and browsers do not use it.
      expect(report.findings.find((f) => f.code === "no-interface-up")?.hint).toMatch(
        /^This machine has no interface with an address besides loopback \(diagnose looked\), and browsers do not use loopback for WebRTC/,
      );
      expect(report.launchedWith).toBeUndefined();
    }, 120_000);
  }

  it("chrome: --allow-loopback opens the channel over 127.0.0.1, says so in the report, and warns", async () => {
    const run = await diagnoseLoopbackOnly(["--browser", "chrome", "--json", "--quiet", "--allow-loopback"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(schemaErrors(report)).toEqual([]);
    expect(report.launchedWith).toEqual({ allowLoopback: true });
    expect(report.candidates.total).toBeGreaterThan(0);
    expect(report.candidates.loopback).toBe(report.candidates.total);
    expect(report.verdict).toBe("warn");
    expect(report.findings.filter((f) => f.level !== "pass").map((f) => f.code)).toContain("loopback-only");
    // What the warning says of web pages, measured: the flag gives loopback candidates to this page, not to them.
    expect(report.webPage?.extension.candidates.loopback).toBe(report.webPage?.extension.candidates.total);
    expect(report.webPage?.page).toMatchObject({ opened: false });
    expect(report.webPage?.page?.candidates.total).toBe(0);
  }, 120_000);

  it("firefox: --allow-loopback changes nothing there: Firefox gathers no candidates without a default route", async () => {
    const run = await diagnoseLoopbackOnly(["--browser", "firefox", "--json", "--quiet", "--allow-loopback"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.launchedWith).toEqual({ allowLoopback: true });
    const none = report.findings.find((f) => f.code === "no-interface-up");
    // Its hint speaks to what was asked: loopback was allowed, and still nothing.
    expect(none?.hint).toMatch(
      /^The browser was started with loopback candidates allowed \(--allow-loopback\) and still gathered none/,
    );
    expect(none?.hint).not.toMatch(/browsers do not use loopback/i);
    expect(none?.hint).toMatch(
      /This machine has no interface with an address besides loopback \(diagnose looked\)/,
    );
  }, 120_000);
});
