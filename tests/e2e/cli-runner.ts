// Shared by the e2e suites: runs the diagnose CLI (in the test's network namespace or its own) and
// keeps what it printed, with when each line came.
import { spawn } from "node:child_process";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When each stderr chunk arrived, in ms since the start: how quiet the progress ever went. */
  stderrAt: number[];
}

/** Runs the command-line tool and collects what it printed, when, and how it exited. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  command = "dist/cli/diagnose.mjs",
  /** Called with all of stderr so far and the command's pid. */
  onStderr?: (stderr: string, pid: number) => void,
): Promise<CliRun> {
  return collect(process.execPath, [command, ...args], env, onStderr);
}

/**
 * The diagnose command in a network namespace of its own, after `setup` (shell lines run as root
 * there: interfaces, routes, iptables rules, background programs); nothing it does reaches the
 * test's own namespace.
 */
export function runCliInNamespace(
  setup: readonly string[],
  args: string[],
  /** Called with all of stderr so far and the pid of a process in the namespace (for nsenter). */
  onStderr?: (stderr: string, pid: number) => void,
): Promise<CliRun> {
  // Not exec: programs the setup started in the background (adding their pids to $BG, as
  // `program & BG="$BG $!"`) are stopped once the command ends.
  const script = [
    "set -e",
    'BG=""',
    ...setup,
    "set +e",
    '"$@"',
    "code=$?",
    "kill $BG 2>/dev/null",
    "exit $code",
  ].join("\n");
  return collect(
    "unshare",
    ["-n", "--", "sh", "-c", script, "sh", process.execPath, "dist/cli/diagnose.mjs", ...args],
    process.env,
    onStderr,
  );
}

function collect(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr?: (stderr: string, pid: number) => void,
): Promise<CliRun> {
  return new Promise<CliRun>((resolve) => {
    const started = Date.now();
    const child = spawn(program, args, { env });
    let stdout = "";
    let stderr = "";
    const stderrAt: number[] = [];
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      stderrAt.push(Date.now() - started);
      if (onStderr && child.pid) onStderr(stderr, child.pid);
    });
    child.on("close", (code) => {
      stderrAt.push(Date.now() - started);
      resolve({ code, stdout, stderr, stderrAt });
    });
  });
}

/** The longest stretch without a line on stderr, from the start to the exit. */
export function longestQuiet(run: CliRun): number {
  let previous = 0;
  let longest = 0;
  for (const at of run.stderrAt) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return longest;
}
