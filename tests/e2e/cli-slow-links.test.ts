// `diagnose` on slow paths, built in a network namespace of the test's own (a veth pair on TEST-NET-1
// so both browsers gather; the loopback's packets then travel over `lo`): 40 ms and 400 ms of added
// round trip (every UDP packet held by nfq-delay, an NFQUEUE program: this kernel has no netem), a
// 1 Mbit/s link, a 256 kbit/s and a 32 kbit/s one (UDP paced by the same program), and one UDP
// packet in ten dropped (by the same program). The verdict warns with the right code and an honest
// hint, and no probe reports a feature as broken just because the path is slow or lossy.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/contract/automation";
import { type CliRun, runCliInNamespace } from "./cli-runner";
import { canFilterInNamespace, withInterface } from "./net/test-network";
import { schemaErrors } from "./report-schema";

const INTERFACE = withInterface("s");

function canShape(): boolean {
  return canFilterInNamespace() && existsSync("/usr/include/libnetfilter_queue/libnetfilter_queue.h");
}

let delayProgram = "";
beforeAll(() => {
  if (!canShape()) return;
  delayProgram = join(mkdtempSync(join(tmpdir(), "loopback-lab-nfq-")), "nfq-delay");
  execFileSync("gcc", ["-O2", "-o", delayProgram, "tests/e2e/net/nfq-delay.c", "-lnetfilter_queue"]);
});

/**
 * A slow or lossy path, made by nfq-delay on NFQUEUE 0 for every UDP packet leaving the namespace:
 * held `delayMs`, `dropPercent` of them dropped, or paced to `rateKbit` (a queue of at most 400 ms,
 * as tbf's). Paced by nfq-delay because this kernel has no prio qdisc to put only UDP through tc's
 * tbf, and Firefox's automation link (TCP on lo) must stay fast.
 */
interface SlowPath {
  delayMs?: number;
  dropPercent?: number;
  rateKbit?: number;
}

/** 20 ms each way on every UDP packet: 40 ms of round trip. */
const DELAYED: SlowPath = { delayMs: 20 };
/** 200 ms each way on every UDP packet: 400 ms of round trip, a path around the world and back. */
const FAR: SlowPath = { delayMs: 200 };
/** UDP paced to 1 Mbit/s. */
const ONE_MEGABIT: SlowPath = { rateKbit: 1000 };
/** UDP paced to 256 kbit/s: a 256 KiB message takes 8 s, longer than the run's stall bound. */
const QUARTER_MEGABIT: SlowPath = { rateKbit: 256 };
/** UDP paced to 32 kbit/s: a 256 KiB message takes over a minute. */
const THIRTY_TWO_KBIT: SlowPath = { rateKbit: 32 };
/** One UDP packet in ten dropped, none delayed. */
const LOSSY: SlowPath = { dropPercent: 10 };

/** The namespace's set-up for `path`. The program ends with the namespace's last process. */
function setUp({ delayMs = 0, dropPercent, rateKbit }: SlowPath): string[] {
  // Usage: nfq-delay QUEUE DELAY_MS [DROP_PERCENT [RATE_KBIT]]
  const args =
    rateKbit !== undefined
      ? [0, delayMs, dropPercent ?? 0, rateKbit]
      : dropPercent !== undefined
        ? [0, delayMs, dropPercent]
        : [0, delayMs];
  return [
    ...INTERFACE,
    `${delayProgram} ${args.join(" ")} >/dev/null 2>&1 & BG="$BG $!"`,
    "sleep 0.2",
    "iptables -A OUTPUT -p udp -j NFQUEUE --queue-num 0",
  ];
}

function diagnose(path: SlowPath, browser: string) {
  return runCliInNamespace(setUp(path), ["--browser", browser, "--json", "--quiet"]);
}

/** The run's report, after checking it exited 0 with a schema-valid report and no failing finding. */
function warnedWithoutFailure(run: CliRun): { report: Report; findings: string } {
  const report = JSON.parse(run.stdout) as Report;
  const findings = JSON.stringify(report.findings, null, 1);
  expect(run.code, findings).toBe(0);
  expect(schemaErrors(report)).toEqual([]);
  expect(
    report.findings.filter((f) => f.level === "fail"),
    findings,
  ).toEqual([]);
  return { report, findings };
}

/** No progress line says it waited longer than the bound it names. */
function expectBoundsHeld(stderr: string): void {
  for (const [line, waited, bound] of stderr.matchAll(/waiting ([\d.]+) s of at most ([\d.]+) s/g))
    expect(Number(waited), line).toBeLessThanOrEqual(Number(bound));
}

/** Features the probes found not working: on a slow path that would be the bound's fault, not the feature's. */
const brokenFeatures = (report: Report) => report.support?.checks.filter((c) => c.status === "no") ?? [];

describe.skipIf(!canShape())("diagnose on slow paths", () => {
  it.each(["chrome", "firefox"])(
    "%s, 40 ms of added round trip: high-latency, with a hint that names the path (warn, exit 0)",
    async (browser) => {
      const run = await diagnose(DELAYED, browser);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(schemaErrors(report)).toEqual([]);
      expect(report.verdict, JSON.stringify(report.findings, null, 1)).toBe("warn");
      expect(report.latency?.p50Ms).toBeGreaterThanOrEqual(38);
      const latency = report.findings.find((f) => f.code === "high-latency");
      expect(latency?.level).toBe("warn");
      expect(latency?.hint).toMatch(/^Every round trip is long .*the path itself is slow/);
      expect(report.findings.filter((f) => f.level === "fail")).toEqual([]);
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
      expect(report.throughput?.steady?.bytesPerSecond).toBeGreaterThan(0);
    },
    180_000,
  );

  it.each(["chrome", "firefox"])(
    "%s, a 1 Mbit/s link: low-throughput near 125 kB/s, no false probe failure (warn, exit 0)",
    async (browser) => {
      const run = await diagnose(ONE_MEGABIT, browser);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(schemaErrors(report)).toEqual([]);
      expect(report.verdict, JSON.stringify(report.findings, null, 1)).toBe("warn");
      const low = report.findings.find((f) => f.code === "low-throughput");
      expect(low?.level).toBe("warn");
      const t = report.throughput;
      // 1 Mbit/s is 125 000 bytes/s on the wire, SCTP, DTLS and UDP headers included. A 256 KiB
      // message takes 2 s here, so the rate (never steady) counts two or three arrivals: 20 runs in
      // a row read 113 to 119 kB/s, and one Firefox run 92 kB/s, two messages over 5.7 s with a
      // stall in SCTP after the pacer's queue dropped packets. Chrome's whole-run average is 82 kB/s.
      const rate = t?.steady?.bytesPerSecond ?? 0;
      const evidence = JSON.stringify({ steady: t?.steady, wholeRun: t?.bytesPerSecond });
      expect(rate, evidence).toBeGreaterThan(85_000);
      expect(rate, evidence).toBeLessThan(130_000);
      // Round trips stay fast on a link that is only narrow: the hint says bandwidth, not delay.
      expect(low?.hint, JSON.stringify(report.latency)).toMatch(/bandwidth is what is limited, not delay/);
      expect(t?.lost).toBe(0);
      expect(report.findings.filter((f) => f.level === "fail")).toEqual([]);
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
    },
    180_000,
  );

  // Firefox here failed 8 runs of 19 with connection-lost (its ICE went "disconnected" for more
  // than 2 s, or SCTP's retransmission backoff stalled a run for 5.4 s) until the rules also read
  // the candidate pairs' bytesReceived: 11 runs of 11 then warned like Chrome. A later CI run
  // still lost it (a latency run silent for over 2 s in SCTP's backoff) until ICE disconnected
  // was given the stall bound, 5 s of silence, and a CI run in Chrome (a throughput run silent for
  // 6.8 s) until ICE's checks counted as a sign of life. After that, 9 browser runs of 10 warned;
  // the drops are random, so one try more is allowed here, and a repeated miss fails (issue 23
  // keeps the lossy cell open).
  it.each(["chrome", "firefox"])(
    "%s, one UDP packet in ten lost: high-latency, with a hint that names lost packets, not a slow path (warn, exit 0)",
    { timeout: 180_000, retry: 1 },
    async (browser) => {
      const run = await diagnose(LOSSY, browser);
      const report = JSON.parse(run.stdout) as Report;
      expect(run.code, JSON.stringify(report.findings, null, 1)).toBe(0);
      expect(schemaErrors(report)).toEqual([]);
      expect(report.verdict, JSON.stringify(report.findings, null, 1)).toBe("warn");
      // SCTP resends what was lost after its retransmission timeout: most round trips stay fast,
      // the slowest take hundreds of ms.
      const latency = report.findings.find((f) => f.code === "high-latency");
      expect(latency?.level).toBe("warn");
      expect(latency?.hint, JSON.stringify(report.latency)).toMatch(
        /^Most round trips are fast .*retransmissions after lost packets/,
      );
      // Reliable channels hide the loss: every message still arrives, intact and in order.
      expect(report.throughput?.lost).toBe(0);
      expect(report.findings.filter((f) => f.level === "fail")).toEqual([]);
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
    },
  );

  // Nothing whole arrives for 8 s, but bytes cross the link all along (Chrome's send queue goes
  // down; Firefox's does not, but the candidate pairs' bytesReceived climbs): the run waits for the
  // queue to drain (up to its 30 s bound) instead of calling the connection lost. Firefox's ICE went
  // "disconnected" here while data kept arriving, which is not a lost connection either.
  it.each(["chrome", "firefox"])(
    "%s, a 256 kbit/s link: low-throughput, not a lost connection (warn, exit 0)",
    async (browser) => {
      const run = await diagnose(QUARTER_MEGABIT, browser);
      const { report } = warnedWithoutFailure(run);
      expect(report.findings.find((f) => f.code === "low-throughput")?.level).toBe("warn");
      const rate = report.throughput?.steady?.bytesPerSecond ?? 0;
      const evidence = JSON.stringify({
        steady: report.throughput?.steady,
        wholeRun: report.throughput?.bytesPerSecond,
      });
      expect(rate, evidence).toBeGreaterThan(16_000);
      expect(rate, evidence).toBeLessThan(33_000);
      expect(report.throughput?.lost).toBe(0);
      // The bufferedamountlow probe queues 2 KiB, well within its bound here.
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
    },
    240_000,
  );

  // Not one 256 KiB message can complete in the run (each takes over a minute), yet the link works:
  // it is slow, and the verdict says so. Before, the channel-feature probes failed behind each
  // other's queued bytes, the latency run's channel waited behind the throughput run's queue (Chrome:
  // it did not open in 10 s; Firefox: ICE's consent checks were lost and the connection failed), and
  // a protocol time-out of the automation was once what the user read.
  // Firefox once lost the connection here instead (1 run of 3: ICE failed mid-run, its consent
  // checks lost behind the saturated link), a wrong verdict issue 23 keeps open: one try more.
  it.each(["chrome", "firefox"])(
    "%s, a 32 kbit/s link: slow, not broken, with the rate on the wire and every bound that holds (warn, exit 0)",
    { timeout: 300_000, retry: 1 },
    async (browser) => {
      const run = await runCliInNamespace(setUp(THIRTY_TWO_KBIT), ["--browser", browser, "--json"]);
      const { report, findings } = warnedWithoutFailure(run);
      const low = report.findings.find((f) => f.code === "low-throughput");
      expect(low?.message, findings).toMatch(
        /though the link kept carrying bytes: about [\d.]+ kB\/s off the wire/,
      );
      expect(low?.hint).toMatch(/^The link itself is the limit/);
      // 32 kbit/s is 4 kB/s on the wire; the pacer's queue and what it drops keep a little less.
      expect(report.throughput?.pathBytesPerSecond).toBeGreaterThan(2_000);
      expect(report.throughput?.pathBytesPerSecond).toBeLessThan(4_100);
      // At that rate not one more message could arrive within the drain's bound: the run stopped
      // waiting at once, not after 30 s more of a saturated link (behind which Firefox's ICE consent
      // checks were lost).
      expect(report.throughput?.drainProjectedMs).toBeGreaterThan(60_000);
      expect(report.throughput?.drainCutMs).toBeLessThan(5_000);
      expect(report.headline).toMatch(
        /^WebRTC data channels work here \(no message whole, about [\d.]+ kB\/s on the wire/,
      );
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
      expect(report.latency?.samples).toBeGreaterThan(0);
      // No automation time-out reaches the user, and no progress line outruns the bound it names.
      expect(run.stderr).not.toMatch(/protocolTimeout|Protocol error|timed out/i);
      expectBoundsHeld(run.stderr);
    },
  );

  // Findings were right here before, but a progress line read "Latency: waiting 81.3 s of at most
  // 10 s": 200 round trips of 400 ms, one after another. The line now says why it is past the bound.
  it.each(["chrome", "firefox"])(
    "%s, 400 ms of added round trip: high-latency and low-throughput that name the path, and honest progress lines (warn, exit 0)",
    async (browser) => {
      const run = await runCliInNamespace(setUp(FAR), ["--browser", browser, "--json"]);
      const { report } = warnedWithoutFailure(run);
      expect(report.latency?.p50Ms).toBeGreaterThanOrEqual(398);
      expect(report.findings.find((f) => f.code === "high-latency")?.hint).toMatch(
        /^Every round trip is long .*the path itself is slow/,
      );
      expect(report.findings.find((f) => f.code === "low-throughput")?.hint).toMatch(
        /^The round trip is long .*the path is the limit here/,
      );
      expect(brokenFeatures(report), JSON.stringify(brokenFeatures(report))).toEqual([]);
      expectBoundsHeld(run.stderr);
      expect(run.stderr).toMatch(
        /7\/8 Latency: waiting [\d.]+ s, past \d+ s: the round trips are timed one after another/,
      );
    },
    300_000,
  );
});
