// A program, not a test: launches Firefox, opens the panel, presses Connect through the API once and
// prints the outcome as one line of JSON. firefox-no-network.test.ts runs it inside a network
// namespace of its own, because Puppeteer talks to Firefox over 127.0.0.1 and so must share its network.
import { launchFirefox, openFirefoxPanel } from "../../src/cli/browsers";
import { lab } from "../../src/contract/lab-client";

const [extensionDir] = process.argv.slice(2);
if (!extensionDir) throw new Error("usage: firefox-connect-once <extension dir>");

const browser = await launchFirefox();
try {
  const { panel, extensionId } = await openFirefoxPanel(browser, extensionDir);
  const connected = await lab(panel).callCatching("connect", { timeoutMs: 20_000 });
  const report = await lab(panel).call("report");
  const outcome = {
    // As String(error) would say it, for an error with no code.
    result: connected.ok
      ? "opened"
      : (connected.error.code ?? `${connected.error.name}: ${connected.error.message}`),
    findings: report.findings.map((f) => f.code),
    gathered: report.timeline.filter((e) => e.property === "candidate" && e.value.startsWith("gathered"))
      .length,
    shownFinding: await panel.evaluate(
      () => document.querySelector('[aria-label="Findings"]')?.textContent ?? "",
    ),
  };
  console.log(JSON.stringify({ extensionId, ...outcome }));
} finally {
  await browser.close();
}
