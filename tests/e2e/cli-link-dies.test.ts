// `diagnose` when the link dies as the throughput run starts: in a network namespace of the test's
// own, iptables starts dropping every UDP packet the moment the command says the throughput step
// runs. The run must end within its bound with connection-lost (a fail, exit 1), saying what was
// delivered, never hang, never blame the data channel, never exit 2 ("could not run"). When the
// automation link itself is cut, the command names that within seconds.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/automation";
import { runCliInNamespace } from "./cli-runner";
import { canFilterInNamespace, withInterface } from "./net/test-network";
import { schemaErrors } from "./report-schema";

const SETUP = withInterface("d");

describe.skipIf(!canFilterInNamespace())("diagnose when the link dies as the throughput run starts", () => {
  it.each(["chrome", "firefox"])(
    "%s: connection-lost, with what was delivered, within the bound (exit 1)",
    async (browser) => {
      let cut = 0;
      const started = Date.now();
      const run = await runCliInNamespace(SETUP, ["--browser", browser, "--json"], (stderr, pid) => {
        if (cut || !/\d\/\d Throughput: waiting/.test(stderr)) return;
        cut = Date.now();
        for (const chain of ["INPUT", "OUTPUT"])
          execFileSync("nsenter", [
            "-t",
            String(pid),
            "-n",
            "iptables",
            "-I",
            chain,
            "-p",
            "udp",
            "-j",
            "DROP",
          ]);
      });
      expect(cut, run.stderr).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      // The bound: 5 s without an arrival (plus one 256 KiB message's time), or ICE's own verdict if
      // sooner; then the latency step ends at once on the lost connection.
      expect(Date.now() - cut).toBeLessThan(30_000);
      const report = JSON.parse(run.stdout) as Report;
      expect(schemaErrors(report)).toEqual([]);
      const failed = report.findings.filter((f) => f.level === "fail");
      expect(failed.map((f) => f.code)).toContain("connection-lost");
      expect(failed.map((f) => f.code)).not.toContain("data-not-intact");
      expect(failed[0]?.message).toMatch(
        /^The connection was lost during the throughput run: .*Until then .* had been delivered intact\./,
      );
      expect(report.throughput).toMatchObject({ cancelled: true, connectionLost: true });
      expect(Date.now() - started).toBeLessThan(120_000);
    },
    150_000,
  );

  // Firefox's automation link is a WebSocket on 127.0.0.1 (Chrome's is a pipe): with every incoming
  // packet dropped, lo included, the command must say so within seconds, not wait out a protocol
  // time-out (it took 360 s before).
  it("firefox: the automation link cut mid-run is named within seconds (exit 2)", async () => {
    let cut = 0;
    const run = await runCliInNamespace(SETUP, ["--browser", "firefox", "--json"], (stderr, pid) => {
      if (cut || !/\d\/\d Throughput: waiting/.test(stderr)) return;
      cut = Date.now();
      execFileSync("nsenter", ["-t", String(pid), "-n", "iptables", "-I", "INPUT", "-j", "DROP"]);
    });
    expect(cut, run.stderr).toBeGreaterThan(0);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/Firefox stopped answering over its automation link \(nothing for 15 s\)/);
    // 15 s of silence, then at most 10 s to close (or kill) the browser.
    expect(Date.now() - cut).toBeLessThan(40_000);
  }, 120_000);
});
