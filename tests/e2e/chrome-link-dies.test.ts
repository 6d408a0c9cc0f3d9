// A link that dies in the middle of a run: iptables, inside this test's own network namespace, drops
// every UDP packet once the throughput run is under way. The run must end within its documented
// bound with the connection-lost verdict, not hang and not blame the data channel.
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import { lab } from "../../src/contract/lab-client";
import { measurementFindings } from "../../src/engine/diagnose/verdict";
import { useChromePanel } from "./chrome-panel";

const DROP_UDP = ["-p", "udp", "-j", "DROP"];
const iptables = (...args: string[]) => execFileSync("iptables", args, { stdio: "pipe" });

function canFilter(): boolean {
  if (!canIsolateNetwork() || process.env.LOOPBACK_LAB_NETNS !== "hermetic") return false;
  try {
    iptables("-S");
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!canFilter())("a link that dies during the throughput run", () => {
  const open = useChromePanel();
  // Registered after the panel's hooks, so this runs before the panel closes.
  afterAll(() => {
    for (const chain of ["INPUT", "OUTPUT"]) {
      try {
        iptables("-D", chain, ...DROP_UDP);
      } catch {
        // already gone
      }
    }
  });

  it("ends the run with connection-lost, saying what was delivered, within the stall bound", async () => {
    await lab(open.panel).call("connect");
    const started = Date.now();
    const running = lab(open.panel).call("runThroughput", { durationMs: 60_000, messageSize: 16_384 });
    await open.panel.waitForFunction(
      () => (document.getElementById("tp-live")?.textContent ?? "").includes("delivered"),
      {
        timeout: 20_000,
      },
    );
    for (const chain of ["INPUT", "OUTPUT"]) iptables("-I", chain, ...DROP_UDP);
    const result = await running;
    // The bound: 5 s without an arrival (plus one message's time), or ICE's own verdict if sooner.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result).toMatchObject({ cancelled: true, connectionLost: true });
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.cancelReason).toMatch(/nothing arrived for|ICE|connection failed/);
    const findings = measurementFindings({ connection: null, throughput: result, latency: null });
    expect(findings.map((f) => f.code)).toEqual(["connection-lost"]);
  });
});
