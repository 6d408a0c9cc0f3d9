// The failure path in Firefox: with no usable network interface the loopback cannot gather a single
// candidate, and the panel says so with the "no-interface-up" finding instead of hanging.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import { FIREFOX_EXTENSION } from "./firefox-panel";

describe.skipIf(!canIsolateNetwork())("Firefox without a network", () => {
  it('finds no candidates where only loopback is up, and says "no-interface-up"', async () => {
    // Firefox never gathers loopback candidates, so a namespace with only `lo` up leaves it none
    // (it then fails ICE at once, without completing gathering, and the diagnosis must still say why).
    // The whole program runs in there (Puppeteer must reach Firefox on 127.0.0.1), so it is bundled
    // into a plain script first: Node 20 cannot run TypeScript.
    mkdirSync(resolve(".tmp"), { recursive: true });
    const program = resolve(".tmp", "firefox-connect-once.mjs");
    await esbuild.build({
      entryPoints: [resolve("tests/e2e/firefox-connect-once.ts")],
      outfile: program,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "warning",
    });
    const output = execFileSync(
      "unshare",
      [
        "-n",
        "--",
        "sh",
        "-c",
        'ip link set lo up && exec "$@"',
        "sh",
        process.execPath,
        program,
        FIREFOX_EXTENSION,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 90_000 },
    );
    const outcome = JSON.parse(output.trim().split("\n").at(-1) ?? "{}");
    expect(outcome).toMatchObject({
      extensionId: "loopback-lab@webrtc-loopback-lab.dev",
      result: "connect-failed",
      findings: ["no-interface-up"],
      gathered: 0,
    });
    expect(outcome.shownFinding).toMatch(/No ICE candidates were gathered/);
  });
});
