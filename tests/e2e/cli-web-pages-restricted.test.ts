// A managed WebRtcIPHandling policy: Chrome applies it to web pages, not to extension pages. Chrome
// runs in a private mount namespace where a copy of /etc/chromium with the policy file is bind-mounted
// over the real one, so nothing outside the test changes. The diagnosis's probe in the inspected web
// page gathers nothing and never opens, while the panel's own loopback works: web-pages-restricted.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserPath, canIsolateNetwork } from "../../src/cli/browsers";
import type { Report } from "../../src/contract/automation";
import { runCli } from "./cli-runner";
import { schemaErrors } from "./report-schema";

/** A Chromium executable that sees `policy` as a managed policy, and only it. */
function chromiumWithPolicy(policy: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "loopback-lab-policy-"));
  const etc = join(dir, "etc-chromium");
  cpSync("/etc/chromium", etc, { recursive: true });
  mkdirSync(join(etc, "policies", "managed"), { recursive: true });
  writeFileSync(join(etc, "policies", "managed", "test-policy.json"), JSON.stringify(policy));
  const wrapper = join(dir, "chromium");
  // unshare -m makes mounts private to the browser's own namespace.
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec unshare -m -- sh -c 'mount --bind "$0" /etc/chromium && exec "${browserPath("chrome")}" "$@"' "${etc}" "$@"\n`,
    { mode: 0o755 },
  );
  return wrapper;
}

const canMount = canIsolateNetwork() && browserPath("chrome").startsWith("/usr/bin/");

describe.skipIf(!canMount)(
  "a managed WebRtcIPHandling policy (web pages restricted, extension pages not)",
  () => {
    it.each(["disable_non_proxied_udp", "default_public_interface_only"])(
      "%s: the panel's loopback opens, the web page's probe does not, and the verdict says so (exit 1)",
      async (value) => {
        const run = await runCli(["--browser", "chrome", "--json", "--quiet"], {
          ...process.env,
          LOOPBACK_LAB_CHROME: chromiumWithPolicy({ WebRtcIPHandling: value }),
        });
        expect(run.code, run.stderr).toBe(1);
        const report = JSON.parse(run.stdout) as Report;
        expect(schemaErrors(report)).toEqual([]);
        // The extension page is exempt: its own loopback works.
        expect(report.findings.find((f) => f.code === "channel-open")?.level).toBe("pass");
        expect(report.webPage?.extension.opened).toBe(true);
        expect(report.webPage?.extension.candidates.host).toBeGreaterThan(0);
        // The web page (the ordinary page DevTools inspects) gets nothing.
        expect(report.webPage?.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(report.webPage?.page).toMatchObject({ api: true, opened: false });
        expect(report.webPage?.page?.candidates.total).toBe(0);
        const failed = report.findings.filter((f) => f.level === "fail");
        expect(failed.map((f) => f.code)).toEqual(["web-pages-restricted"]);
        expect(failed[0]?.message).toMatch(
          /^A web page \(http:\/\/127\.0\.0\.1:\d+\) could not open a loopback data channel: it gathered no candidates/,
        );
        // Without the optional permission the setting cannot be named, and the finding says why.
        expect(failed[0]?.message).toMatch(
          /IP-handling setting could not be read \(diagnose runs without the optional privacy permission/,
        );
        // The command line is never sent to a panel's button.
        expect(`${failed[0]?.message} ${failed[0]?.hint}`).not.toMatch(/Diagnosis tab|press|grant the panel/);
        expect(report.webPage?.ipHandling).toEqual({ unread: "not-granted" });
        expect(report.verdict).toBe("fail");
        expect(report.headline).toMatch(/^WebRTC data channels do not work here: A web page/);
      },
      150_000,
    );
  },
);
