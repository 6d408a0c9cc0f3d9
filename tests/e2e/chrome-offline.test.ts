// The failure path: Chrome in a network namespace with every interface down cannot gather a single
// ICE candidate, and the panel must say so in plain words instead of waiting out the timeout.
import { describe, expect, it } from "vitest";
import { canIsolateNetwork } from "../../src/cli/browsers";
import { lab } from "../../src/contract/lab-client";
import { byRole, controlStates, IDLE_CONTROLS, useChromePanel } from "./chrome-panel";

describe.skipIf(!canIsolateNetwork())("the Chrome panel where no connection can form", () => {
  const open = useChromePanel({ network: "offline" });

  it("diagnoses 'no ICE candidates' within the chosen timeout and returns to the first state", async () => {
    const timeout = await byRole(open.panel, "spinbutton", "Timeout (s)");
    await timeout.evaluate((el) => {
      (el as HTMLInputElement).value = "";
    });
    await timeout.type("3");
    await (await byRole(open.panel, "button", "Connect")).click();
    await open.panel.waitForSelector('#findings li[data-code="no-interface-up"]', { timeout: 30_000 });
    const shown = await open.panel.evaluate(() => document.querySelector("#findings li")?.textContent ?? "");
    expect(shown).toMatch(/No ICE candidates were gathered/);
    expect(shown).toMatch(/network interface|IP-handling policy/);
    await open.panel.waitForFunction(
      () => !(document.getElementById("connect") as HTMLButtonElement).disabled,
    );
    expect(await controlStates(open.panel)).toEqual(IDLE_CONTROLS);

    const report = await lab(open.panel).call("report");
    expect(report.findings).toEqual([expect.objectContaining({ level: "fail", code: "no-interface-up" })]);
    const steps = report.timeline.map((e) => `${e.source}.${e.property}.${e.value}`);
    expect(steps).toContain("session.step.connect");
    expect(steps).toContain("session.finding.no-interface-up");
    expect(steps.filter((s) => s.includes(".candidate.gathered"))).toEqual([]);
    expect(report.timeline.find((e) => e.value === "connect")?.detail).toMatchObject({ timeoutMs: 3000 });
    // Both channel ends and both peers are closed at the end, as after any session.
    expect(report.timeline.at(-1)).toMatchObject({ source: "session", value: "closed" });
    expect(report.timeline.filter((e) => e.source === "sendChannel").at(-1)?.value).toBe("closed");
  });

  it("rejects the API's connect() with the same finding", async () => {
    const connected = await lab(open.panel).callCatching("connect", { timeoutMs: 2_000 });
    const outcome = connected.ok ? "opened" : `${connected.error.code}:${connected.error.finding?.code}`;
    expect(outcome).toBe("connect-failed:no-interface-up");
  });
});
