// The test suite's prerequisites check, on a made-up machine (a folder of stand-in tools): it answers
// within seconds, names the package that brings what is missing, and gives the exact command.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script with no type declarations
import { NEEDS } from "../prerequisites.mjs";

/** A folder with an executable stand-in for each command but those left out; dpkg says every package is installed. */
function machineWithout(...left: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-prereq-"));
  const commands = [
    ...(NEEDS as { command?: string }[]).flatMap((n) => (n.command ? [n.command] : [])),
    "dpkg",
    "apt-get",
  ];
  for (const command of commands.filter((c) => !left.includes(c))) {
    writeFileSync(join(dir, command), "#!/bin/sh\nexit 0\n");
    chmodSync(join(dir, command), 0o755);
  }
  return dir;
}

const check = (dir: string) =>
  spawnSync(process.execPath, ["tests/prerequisites.mjs", "--check"], {
    env: { PREREQUISITES_PATH: dir, PATH: process.env.PATH },
    encoding: "utf8",
    timeout: 10_000,
  });

describe("tests/prerequisites.mjs", () => {
  it("passes a machine with everything", () => {
    expect(check(machineWithout()).status).toBe(0);
  });

  it("stops a machine without certutil or coturn at once, naming the packages and the command", () => {
    const run = check(machineWithout("certutil", "turnserver"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/needs coturn \(the real TURN server \(coturn\)\), libnss3-tools/);
    expect(run.stderr).toContain("sudo apt-get install -y --no-install-recommends coturn libnss3-tools");
  });

  it("says where apt-get is not there what the Debian packages are", () => {
    const run = check(machineWithout("apt-get", "chromium"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/On Debian or Ubuntu: sudo apt-get install .* chromium/);
  });
});
