// Ctrl-C and a CI runner's SIGTERM in the middle of a diagnosis: the command ends with the shell's
// usual status for the signal, says it was interrupted, prints no stack trace and leaves no browser
// process behind.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli-runner";

/** Every process whose parent chain leads to `root`, read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat) parents.set(Number(name), stat.ppid);
  }
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length) {
    frontier = [...parents].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...frontier);
  }
  return found;
}

/** State and parent of a process, or undefined once it is gone. */
function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    // "pid (comm) S ppid …": comm may hold spaces, so read after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state ?? "", ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== "Z";
};

describe("diagnose, interrupted", () => {
  for (const [browser, signal, status] of [
    ["chrome", "SIGINT", 130],
    ["firefox", "SIGTERM", 143],
  ] as const) {
    it(`${browser}: ${signal} during the throughput run exits ${status}, without a stack trace or a browser left running`, async () => {
      let browserPids: number[] = [];
      const run = await runCli(["--browser", browser], process.env, undefined, (stderr, pid) => {
        // Once the diagnosis is under way (a browser, its panel and a live connection are up).
        if (browserPids.length || !/\d\/\d+ Throughput: waiting/.test(stderr)) return;
        browserPids = descendants(pid);
        process.kill(pid, signal);
      });
      expect(browserPids.length).toBeGreaterThan(0);
      expect(run.code).toBe(status);
      expect(run.stderr).toContain(`diagnose: interrupted (${signal}); no report.`);
      expect(run.stderr).not.toMatch(/unexpected error|detached Frame|\n\s+at /);
      expect(run.stdout).toBe("");
      // The browser goes with the command (puppeteer kills what it launched as the process exits).
      const deadline = Date.now() + 10_000;
      while (browserPids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(browserPids.filter(alive)).toEqual([]);
    }, 120_000);
  }
});
