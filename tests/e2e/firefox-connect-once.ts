// A program, not a test: launches Firefox, opens the panel, presses Connect through the API once and
// prints the outcome as one line of JSON. firefox-no-network.test.ts runs it inside a network
// namespace of its own, because Puppeteer talks to Firefox over 127.0.0.1 and so must share its network.
import { launchFirefox, openFirefoxPanel } from "../../src/cli/browsers";
import type { LabWindow } from "../../src/contract/automation";

const [extensionDir] = process.argv.slice(2);
if (!extensionDir) throw new Error("usage: firefox-connect-once <extension dir>");

const browser = await launchFirefox();
try {
  const { panel, extensionId } = await openFirefoxPanel(browser, extensionDir);
  const outcome = await panel.evaluate(async () => {
    const lab = (window as LabWindow).loopbackLab;
    const result = await lab.connect({ timeoutMs: 20_000 }).then(
      () => "opened",
      (e: { code?: string }) => e.code ?? String(e),
    );
    const report = lab.report();
    return {
      result,
      findings: report.findings.map((f) => f.code),
      gathered: report.timeline.filter((e) => e.property === "candidate" && e.value.startsWith("gathered"))
        .length,
      shownFinding: document.querySelector('[aria-label="Findings"]')?.textContent ?? "",
    };
  });
  console.log(JSON.stringify({ extensionId, ...outcome }));
} finally {
  await browser.close();
}
