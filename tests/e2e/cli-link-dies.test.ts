// `diagnose` when the link dies as the throughput run starts: in a network namespace of the test's
// own, iptables starts dropping every UDP packet the moment the command says the throughput step
// runs. The run must end within its bound with connection-lost (a fail, exit 1), saying what was
// delivered, never hang, never blame the data channel, never exit 2 ("could not run").
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
});
